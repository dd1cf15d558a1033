// Blue-green and recreate end to end: real proxy, real controller, demo backends started by the
// process driver, traffic through the proxy throughout.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/controller/engine/controller_strategy_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

class ControllerBlueGreenTest : public StrategyFixture {};

const std::string kBlueGreen =
    "      kind: blue-green\n      preview: true\n      pause_s: 3\n      scale_down_delay_s: 1\n";

TEST_F(ControllerBlueGreenTest, PreviewByHeaderThenSwitchThenOldColourRetired) {
  start_strategy(29600, kBlueGreen);
  const auto first = start_rollout("v2");
  ASSERT_GT(first, 0);
  // Preview: v2 sits in the split at weight 0, reachable through the override header only.
  ASSERT_TRUE(eventually(
      [&] {
        auto now = split();
        return now.count("v2") && now["v2"] == 0 && pinned_answer("v2") == "v2\n";
      },
      20s))
      << controller_->output();
  EXPECT_EQ(split()["v1"], 100);
  EXPECT_EQ(http_request("127.0.0.1", proxy_->port(), "GET", "/").body, "v1\n");
  ASSERT_EQ(wait_finished(first, 30s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
  const auto blue = upstream_endpoints("shop-v2");
  ASSERT_EQ(blue.size(), 2u);
  for (const auto& endpoint : blue) EXPECT_EQ(answer_of(endpoint), "v2\n");

  // The next colour: once it has all the traffic and scale_down_delay_s passed, v2's instances stop.
  const auto second = start_rollout("v4");
  ASSERT_GT(second, 0);
  ASSERT_EQ(wait_finished(second, 30s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v4", 100}}));
  for (const auto& endpoint : blue) EXPECT_EQ(answer_of(endpoint), "") << endpoint << " still answers";
  EXPECT_TRUE(upstream_endpoints("shop-v2").empty());
  EXPECT_GT(requests_.load(), 100u);
  EXPECT_EQ(failures_.load(), 0u);
}

TEST_F(ControllerBlueGreenTest, PreviewWithoutOverrideHeaderFailsNamingTheRoute) {
  start_strategy(29650, kBlueGreen, /*override_header=*/false);
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  ASSERT_EQ(wait_finished(id, 30s), "failed") << controller_->output();
  const auto reason = std::string(rollout(id).at("reason").as_string());
  EXPECT_NE(reason.find("route shop"), std::string::npos) << reason;
  EXPECT_NE(reason.find("override_header"), std::string::npos) << reason;
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));
}

class ControllerRecreateTest : public StrategyFixture {};

TEST_F(ControllerRecreateTest, RecreateSwitchesAndRecordsTheDowntime) {
  start_strategy(29700, "      kind: recreate\n");
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  ASSERT_EQ(wait_finished(id, 30s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
  EXPECT_EQ(http_request("127.0.0.1", proxy_->port(), "GET", "/").body, "v2\n");
  const auto figures = outcome_figures(id);
  ASSERT_TRUE(figures.contains("downtime_ms")) << boost::json::serialize(figures);
  ASSERT_TRUE(figures.contains("to_healthy_ms")) << boost::json::serialize(figures);
  const auto downtime = figures.at("downtime_ms").to_number<std::int64_t>();
  EXPECT_GE(downtime, figures.at("to_healthy_ms").to_number<std::int64_t>());
  EXPECT_LT(downtime, 30000);
  std::printf("[ metric ] recreate downtime: %lldms\n", static_cast<long long>(downtime));
}

}  // namespace
}  // namespace switchyard::test
