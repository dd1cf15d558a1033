// The real `switchyard` CLI against the real controller (docs/cli.md, docs/controller-api.md):
// every verb's exit code, and its effect seen in the proxy and in the controller's API.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

class ControllerCliTest : public CustomControllerFixture {
 protected:
  boost::json::value parse(const std::string& text) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    return ec ? boost::json::value() : value;
  }
};

TEST_F(ControllerCliTest, EveryVerbWorksAgainstTheRealController) {
  start_proxy(/*guard=*/false);
  // 30 s pauses: only `promote` can make this canary finish within the test's bounds.
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 31100, 30, ""});
  start_traffic();

  auto run = cli({"env", "list"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("test"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("yes"), std::string::npos) << run.output;

  run = cli({"weights", "set", "shop", "v1=100", "--env", "test"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("ok"), std::string::npos) << run.output;
  // Weights are shares, not percentages: the proxy's whole range passes through the controller.
  run = cli({"weights", "set", "shop", "v1=1000", "--env", "test"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 1000}}));
  run = cli({"weights", "set", "shop", "v1=100", "--env", "test"});
  EXPECT_EQ(run.code, 0) << run.output;
  run = cli({"weights", "set", "shop", "v1=100", "--env", "nope"});
  EXPECT_EQ(run.code, 1) << run.output;
  run = cli({"weights", "set", "shop", "--env", "test"});
  EXPECT_EQ(run.code, 2) << run.output;

  run = cli({"rollout", "start", "shop", "--env", "test", "--version", "v2"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("v2"), std::string::npos) << run.output;
  ASSERT_TRUE(eventually([&] { return split()["v2"] == 50; }, 30s)) << controller_->output();

  run = cli({"rollout", "status", "shop", "--env", "test", "--output", "json"});
  ASSERT_EQ(run.code, 0) << run.output;
  auto status = parse(run.output);
  ASSERT_TRUE(status.is_object()) << run.output;
  const auto& listed = status.at("rollouts").as_array();
  ASSERT_EQ(listed.size(), 1u) << run.output;
  const auto id = listed.at(0).at("id").as_int64();
  EXPECT_EQ(listed.at(0).at("version").as_string(), "v2");
  EXPECT_EQ(listed.at(0).at("baseline_version").as_string(), "v1");
  EXPECT_EQ(listed.at(0).at("weight").as_int64(), 50);

  run = cli({"rollout", "pause", "shop", "--env", "test"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_TRUE(rollout(id).at("paused").as_bool());
  // An operator's weights reach the proxy while the rollout is paused.
  run = cli({"weights", "set", "shop", "v1=70", "v2=30", "--env", "test"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 70}, {"v2", 30}}));
  run = cli({"rollout", "resume", "shop", "--env", "test"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_FALSE(rollout(id).at("paused").as_bool());

  // Two promotes finish a [50, 100] canary long before its 30 s pauses would.
  const auto promoted_at = std::chrono::steady_clock::now();
  run = cli({"rollout", "promote", "shop", "--env", "test"});
  ASSERT_EQ(run.code, 0) << run.output;
  ASSERT_TRUE(eventually([&] { return split()["v2"] == 100; }, 15s)) << controller_->output();
  if (!rollout(id).at("result").is_string()) {
    run = cli({"rollout", "promote", "shop", "--env", "test"});
    ASSERT_EQ(run.code, 0) << run.output;
  }
  ASSERT_EQ(wait_finished(id, 15s), "succeeded") << controller_->output();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - promoted_at);
  std::printf("[ metric ] two CLI promotes -> canary succeeded: %lldms\n", static_cast<long long>(took.count()));
  EXPECT_LT(took, 15s);
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));

  // Nothing active: the status table shows the latest rollout (its result is in `history`).
  run = cli({"rollout", "status", "shop", "--env", "test"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("no active rollout of shop"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("finished"), std::string::npos) << run.output;

  // Abort rolls back at once.
  run = cli({"rollout", "start", "shop", "--env", "test", "--version", "v4"});
  ASSERT_EQ(run.code, 0) << run.output;
  ASSERT_TRUE(eventually([&] { return split()["v4"] == 50; }, 30s)) << controller_->output();
  run = cli({"rollout", "abort", "shop", "--env", "test"});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto aborted = api("GET", "/v1/rollouts?app=shop&limit=1").at("rollouts").at(0).at("id").as_int64();
  ASSERT_EQ(wait_finished(aborted, 15s), "aborted") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));

  run = cli({"rollout", "abort", "shop", "--env", "test"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("no active rollout"), std::string::npos) << run.output;

  run = cli({"rollout", "history", "shop"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("succeeded"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("aborted"), std::string::npos) << run.output;
  run = cli({"--output", "json", "rollout", "history", "shop", "--limit", "1"});
  ASSERT_EQ(run.code, 0) << run.output;
  auto history = parse(run.output);
  ASSERT_TRUE(history.is_object()) << run.output;
  EXPECT_EQ(history.at("rollouts").as_array().size(), 1u);
  EXPECT_EQ(history.at("rollouts").at(0).at("result").as_string(), "aborted");

  run = cli({"rollout", "start", "shop", "--env", "nope", "--version", "v5"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("nope"), std::string::npos) << run.output;
  run = cli({"rollout", "frobnicate"});
  EXPECT_EQ(run.code, 2) << run.output;
}

}  // namespace
}  // namespace switchyard::test
