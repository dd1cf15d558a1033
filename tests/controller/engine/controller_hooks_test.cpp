// Hooks and gates end to end (docs/hooks.md): real proxy, controller and demo backends. A
// migration before deploy, a smoke test of every new instance before it gets traffic, a quality
// gate refusing the version before any weight moves, a failing/hanging step gate rolling back,
// and on_rollback hooks running once the baseline has its traffic back.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ControllerHooksTest : public CustomControllerFixture {
 protected:
  // After start_proxy(): a canary controller whose app has `hooks_yaml` (lines under `hooks:`).
  void start_with_hooks(int port_base, const std::string& hooks_yaml) {
    ControllerYaml spec;
    spec.envs = {{"test", proxy_->admin_port(), ""}};
    spec.port_base = port_base;
    config_path_ = dir_.write_file("controller.yaml", controller_yaml(dir_.path(), spec) + "    hooks:\n" + hooks_yaml);
    start_controller();
    start_traffic();
  }

  std::string admin_url() const { return "http://127.0.0.1:" + std::to_string(proxy_->admin_port()); }

  // The hook runs of the rollout's API answer.
  boost::json::array hooks_of(std::int64_t id) {
    auto row = rollout(id);
    return row.contains("hooks") ? row.at("hooks").as_array() : boost::json::array();
  }

  static bool has_curl() { return std::system("command -v curl >/dev/null 2>&1") == 0; }
};

TEST_F(ControllerHooksTest, MigrationAndSmokeTestSeeTheNewInstancesBeforeTraffic) {
  if (!has_curl()) GTEST_SKIP() << "curl is needed by the smoke-test hook";
  const auto d = dir_.path();
  start_proxy(false);
  start_with_hooks(
      33000,
      "      pre_deploy:\n"
      "        - run: 'echo \"{version} $SWITCHYARD_APP $SWITCHYARD_ENV $SWITCHYARD_BASELINE $SWITCHYARD_PHASE "
      "[$SWITCHYARD_ENDPOINTS]\" > " + d + "/migrated-{version}'\n"
      "      pre_traffic:\n"
      "        - run: 'curl -fsS " + admin_url() + "/v1/routes/shop > " + d + "/split-at-smoke; "
      "for e in $(echo $SWITCHYARD_ENDPOINTS | tr , \" \"); do curl -fsS http://$e/healthz || exit 1; "
      "echo \" $e\"; done; echo \"$SWITCHYARD_ENDPOINTS\" > " + d + "/smoked'\n"
      "          timeout_s: 10\n"
      "      per_step:\n"
      "        - run: 'echo \"$SWITCHYARD_STEP $SWITCHYARD_WEIGHT\" >> " + d + "/steps'\n");
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  ASSERT_EQ(wait_finished(id, 40s), "succeeded") << controller_->output();

  // The migration ran before any instance existed, with the rollout's facts in its environment.
  EXPECT_EQ(read_file(d + "/migrated-v2"), "v2 shop test v1 pre_deploy []\n");
  // The smoke test reached every new instance, while v2 was registered at weight 0.
  const auto smoked = read_file(d + "/smoked");
  EXPECT_EQ(std::count(smoked.begin(), smoked.end(), ','), 1) << smoked;  // both instances
  const auto split_then = boost::json::parse(read_file(d + "/split-at-smoke"));
  std::int64_t v2_weight_then = -1;
  for (const auto& entry : split_then.at("split").as_array()) {
    if (entry.at("version").as_string() == "v2") v2_weight_then = entry.at("weight").to_number<std::int64_t>();
  }
  EXPECT_EQ(v2_weight_then, 0) << read_file(d + "/split-at-smoke");
  EXPECT_EQ(read_file(d + "/steps"), "0 50\n1 100\n");

  // Stored with the rollout: one row per hook run, in order, output included.
  const auto hooks = hooks_of(id);
  ASSERT_EQ(hooks.size(), 4u) << boost::json::serialize(hooks);
  EXPECT_EQ(hooks[0].at("phase").as_string(), "pre_deploy");
  EXPECT_EQ(hooks[1].at("phase").as_string(), "pre_traffic");
  EXPECT_EQ(hooks[2].at("phase").as_string(), "per_step");
  EXPECT_EQ(hooks[3].at("phase").as_string(), "per_step");
  for (const auto& hook : hooks) {
    EXPECT_TRUE(hook.at("ok").as_bool()) << boost::json::serialize(hook);
    EXPECT_EQ(hook.at("exit_code").as_int64(), 0);
    EXPECT_EQ(hook.at("kind").as_string(), "run");
  }
  // curl printed each instance's /healthz answer, then the endpoint.
  const std::string output(hooks[1].at("output").as_string());
  for (const auto& endpoint : {smoked.substr(0, smoked.find(',')), smoked.substr(smoked.find(',') + 1)}) {
    EXPECT_NE(output.find(" " + endpoint.substr(0, endpoint.find('\n'))), std::string::npos) << output;
  }
}

TEST_F(ControllerHooksTest, FailingQualityGateStopsTheRolloutBeforeAnyTraffic) {
  if (!has_curl()) GTEST_SKIP() << "curl is needed by the on_rollback hook";
  const auto d = dir_.path();
  dir_.write_file("report.json", "{\"critical\": 2, \"high\": 5}\n");
  start_proxy(false);
  start_with_hooks(
      33100,
      "      pre_traffic:\n"
      "        - run: 'cat " + d + "/report.json; grep -q \"\\\"critical\\\": 0\" " + d + "/report.json'\n"
      "      on_rollback:\n"
      "        - run: 'curl -fsS " + admin_url() + "/v1/routes/shop > " + d + "/split-at-rollback; "
      "echo \"$SWITCHYARD_VERSION $SWITCHYARD_PHASE\" > " + d + "/rolled-back'\n");
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  std::int64_t max_v2_weight = 0;
  ASSERT_TRUE(eventually(
      [&] {
        auto now = split();
        if (now.count("v2")) max_v2_weight = std::max(max_v2_weight, now["v2"]);
        auto row = rollout(id);
        return row.contains("result") && row.at("result").is_string();
      },
      40s))
      << controller_->output();
  const auto row = rollout(id);
  EXPECT_EQ(row.at("result").as_string(), "failed");
  EXPECT_NE(std::string(row.at("reason").as_string()).find("exited with code 1"), std::string::npos)
      << row.at("reason").as_string();
  EXPECT_EQ(max_v2_weight, 0);
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));
  // The proxy never sent v2 a request.
  auto stats = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/routes/shop/stats");
  boost::system::error_code ec;
  auto parsed = boost::json::parse(stats.body, ec);
  ASSERT_TRUE(!ec && parsed.is_object() && parsed.as_object().contains("versions")) << stats.body;
  {
    const auto& versions = parsed.at("versions").as_object();
    if (versions.contains("v2")) {
      EXPECT_EQ(versions.at("v2").at("requests").to_number<std::int64_t>(), 0) << stats.body;
    }
    EXPECT_GT(versions.at("v1").at("requests").to_number<std::int64_t>(), 0) << stats.body;
  }

  // The gate's output is stored and visible in the API; the on_rollback hook ran once v1 had it all.
  const auto hooks = hooks_of(id);
  ASSERT_EQ(hooks.size(), 2u) << boost::json::serialize(hooks);
  EXPECT_EQ(hooks[0].at("phase").as_string(), "pre_traffic");
  EXPECT_FALSE(hooks[0].at("ok").as_bool());
  EXPECT_EQ(hooks[0].at("exit_code").as_int64(), 1);
  EXPECT_NE(std::string(hooks[0].at("output").as_string()).find("\"critical\": 2"), std::string::npos);
  EXPECT_EQ(hooks[1].at("phase").as_string(), "on_rollback");
  EXPECT_TRUE(hooks[1].at("ok").as_bool());
  EXPECT_EQ(read_file(d + "/rolled-back"), "v2 on_rollback\n");
  const auto split_then = read_file(d + "/split-at-rollback");
  EXPECT_EQ(split_then.find("\"v2\""), std::string::npos) << split_then;
}

TEST_F(ControllerHooksTest, HangingStepGateTimesOutAndRollsBackThenOnRollbackRuns) {
  const auto d = dir_.path();
  start_proxy(false);
  start_with_hooks(
      33200,
      "      per_step:\n"
      "        - run: 'test $SWITCHYARD_STEP -eq 0 || { sleep 60 & echo $! > " + d + "/hung; wait; }'\n"
      "          timeout_s: 1\n"
      "      on_rollback:\n"
      "        - run: 'echo restored {baseline} > " + d + "/rolled-back; exit 3'\n");
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  ASSERT_EQ(wait_finished(id, 40s), "failed") << controller_->output();
  const auto row = rollout(id);
  EXPECT_NE(std::string(row.at("reason").as_string()).find("timed out after 1 s"), std::string::npos)
      << row.at("reason").as_string();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));
  // The hung command's whole process group was killed.
  pid_t hung = 0;
  std::istringstream(read_file(d + "/hung")) >> hung;
  ASSERT_GT(hung, 0);
  EXPECT_TRUE(eventually([&] { return ::kill(hung, 0) != 0; }, 5s));
  // The failing on_rollback hook is recorded but does not change the outcome or its reason.
  EXPECT_EQ(read_file(d + "/rolled-back"), "restored v1\n");
  const auto hooks = hooks_of(id);
  ASSERT_EQ(hooks.size(), 3u) << boost::json::serialize(hooks);
  EXPECT_TRUE(hooks[0].at("ok").as_bool());
  EXPECT_FALSE(hooks[1].at("ok").as_bool());
  EXPECT_NE(std::string(hooks[1].at("error").as_string()).find("timed out"), std::string::npos);
  EXPECT_TRUE(hooks[1].at("exit_code").is_null());
  EXPECT_EQ(hooks[2].at("phase").as_string(), "on_rollback");
  EXPECT_FALSE(hooks[2].at("ok").as_bool());
  EXPECT_EQ(hooks[2].at("exit_code").as_int64(), 3);
  EXPECT_EQ(std::string(row.at("reason").as_string()).find("on_rollback"), std::string::npos);

  // `rollout status` shows the hooks in a short table.
  auto status = cli({"rollout", "status", "shop", "--env", "test"});
  EXPECT_NE(status.output.find("on_rollback"), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("timed out"), std::string::npos) << status.output;
}

}  // namespace
}  // namespace switchyard::test
