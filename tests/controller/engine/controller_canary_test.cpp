// The controller end to end: real proxy, real controller binary, real demo backends started by
// the process driver, traffic flowing through the proxy throughout.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

class ControllerCanaryTest : public ControllerFixture {};

TEST_F(ControllerCanaryTest, HealthyVersionIsPromotedAndFaultyOneRolledBackWithinOneSecond) {
  start_all(29300);
  ASSERT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));

  const auto good = start_rollout("v2");
  ASSERT_GT(good, 0);
  EXPECT_EQ(rollout(good).at("baseline_version").as_string(), "v1");
  ASSERT_EQ(wait_finished(good, 40s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
  const auto done = rollout(good);
  EXPECT_GE(done.at("analyses").as_array().size(), 2u);
  // The old version's upstream is gone from the proxy once nothing routes to it.
  auto upstreams = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/upstreams");
  EXPECT_EQ(upstreams.body.find("shop-v1"), std::string::npos) << upstreams.body;

  const auto bad = start_rollout("v3");
  ASSERT_GT(bad, 0);
  EXPECT_EQ(rollout(bad).at("baseline_version").as_string(), "v2");
  // Watch the proxy: once v3 has had traffic, the moment the split is back on v2 at 100.
  bool v3_had_traffic = false;
  std::int64_t back_on_baseline_ms = 0;
  ASSERT_TRUE(eventually(
      [&] {
        auto now = split();
        if (now.count("v3") && now["v3"] > 0) v3_had_traffic = true;
        if (v3_had_traffic && now["v2"] == 100 && (!now.count("v3") || now["v3"] == 0)) {
          back_on_baseline_ms = wall_ms();
          return true;
        }
        return false;
      },
      40s))
      << controller_->output();
  ASSERT_EQ(wait_finished(bad, 20s), "failed") << controller_->output();
  const auto failed = rollout(bad);
  std::int64_t failing_analysis_ms = 0;
  for (const auto& analysis : failed.at("analyses").as_array()) {
    if (analysis.at("verdict").as_string() == "fail") failing_analysis_ms = analysis.at("at_ms").as_int64();
  }
  ASSERT_GT(failing_analysis_ms, 0) << boost::json::serialize(failed);
  const auto rollback_ms = back_on_baseline_ms - failing_analysis_ms;
  std::printf("[ metric ] rollback (failing analysis -> baseline at 100%%): %lldms\n",
              static_cast<long long>(rollback_ms));
  EXPECT_LT(rollback_ms, 1000);
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
  upstreams = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/upstreams");
  EXPECT_EQ(upstreams.body.find("shop-v3"), std::string::npos) << upstreams.body;
  EXPECT_NE(std::string(failed.at("reason").as_string()).find("error rate"), std::string::npos)
      << failed.at("reason").as_string();
}

TEST_F(ControllerCanaryTest, KillNineMidCanaryThenRestartResumesAndFinishes) {
  start_all(29400);
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  // Mid-canary: v2 carries its first step's weight.
  ASSERT_TRUE(eventually([&] { return split()["v2"] == 50; }, 30s)) << controller_->output();
  kill_controller();
  EXPECT_EQ(split()["v2"], 50);  // the proxies keep serving the step while no controller runs

  start_controller();
  ASSERT_EQ(wait_finished(id, 40s), "succeeded") << controller_->output();
  EXPECT_NE(controller_->output().find("resumed"), std::string::npos) << controller_->output();
  EXPECT_NE(controller_->output().find("adopted"), std::string::npos) << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
}

TEST_F(ControllerCanaryTest, ApiRefusesUnknownAppsAndSecondActiveRollout) {
  start_all(29500);
  int status = 0;
  auto refused = api("POST", "/v1/rollouts", R"({"app":"nope","env":"test","version":"v2"})", &status);
  EXPECT_EQ(status, 404);
  EXPECT_TRUE(refused.is_object() && refused.get_object().contains("error"));
  api("POST", "/v1/rollouts", R"({"app":"shop"})", &status);
  EXPECT_EQ(status, 400);
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  auto second = api("POST", "/v1/rollouts", R"({"app":"shop","env":"test","version":"v4"})", &status);
  EXPECT_EQ(status, 409) << boost::json::serialize(second);
  auto aborted = api("POST", "/v1/rollouts/" + std::to_string(id) + "/abort", "", &status);
  EXPECT_EQ(status, 200) << boost::json::serialize(aborted);
  ASSERT_EQ(wait_finished(id, 30s), "aborted") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));
  auto apps = api("GET", "/v1/apps");
  EXPECT_EQ(apps.at("apps").as_array().at(0).at("environments").at("test").at("active_rollout"), nullptr);
  api("GET", "/v1/rollouts/999", "", &status);
  EXPECT_EQ(status, 404);
}

}  // namespace
}  // namespace switchyard::test
