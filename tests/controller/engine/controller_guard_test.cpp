// Issue 4 point 5, instant reaction: a guard trip on the proxy fails the controller's rollout at
// once (through the event follower), long before the step's analysis would have judged it.
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdio>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

class ControllerGuardTest : public CustomControllerFixture {
 protected:
  // The time (ms since the epoch) of the proxy's first guard_tripped event on route shop; 0 if none.
  std::int64_t guard_trip_ms() {
    auto response = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/events?since=0");
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    if (ec || !value.is_object() || !value.get_object().contains("events")) return 0;
    for (const auto& event : value.at("events").as_array()) {
      if (event.at("kind").as_string() == "guard_tripped" && event.at("route").as_string() == "shop") {
        return rfc3339_ms(std::string(event.at("time").as_string()));
      }
    }
    return 0;
  }
};

TEST_F(ControllerGuardTest, GuardTripFailsTheRolloutAtOnceAndRetiresItsInstances) {
  start_proxy(/*guard=*/true);
  // A 30 s pause: the step's analysis cannot be what ends this rollout within the bounds below.
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 31000, 30, ""});
  start_traffic();

  const auto id = start_rollout("v3");
  ASSERT_GT(id, 0);
  ASSERT_TRUE(eventually([&] { return split()["v3"] == 50; }, 30s)) << controller_->output();
  const auto deployed = live_pids("v3");
  EXPECT_EQ(deployed.size(), 2u);

  std::int64_t tripped_ms = 0;
  ASSERT_TRUE(eventually([&] { return (tripped_ms = guard_trip_ms()) > 0; }, 10s)) << controller_->output();
  ASSERT_EQ(wait_finished(id, 10s), "failed") << controller_->output();
  const auto failed = rollout(id);
  const auto finished_ms = failed.at("finished_ms").as_int64();
  // No analysis was needed: the guard, not a verdict, ended it.
  EXPECT_TRUE(failed.at("analyses").as_array().empty()) << boost::json::serialize(failed);
  EXPECT_NE(std::string(failed.at("reason").as_string()).find("guard"), std::string::npos)
      << failed.at("reason").as_string();
  // The moment the controller reacted: its first rolling_back transition.
  std::int64_t reacted_ms = 0;
  for (const auto& transition : failed.at("transitions").as_array()) {
    if (transition.at("to").as_string().find("rolling_back") != boost::json::string::npos) {
      reacted_ms = transition.at("at_ms").as_int64();
      break;
    }
  }
  std::printf("[ metric ] guard trip -> controller rolling back: %lldms\n",
              static_cast<long long>(reacted_ms - tripped_ms));
  std::printf("[ metric ] guard trip -> rollout finished (failed, instances retired): %lldms\n",
              static_cast<long long>(finished_ms - tripped_ms));
  EXPECT_GT(reacted_ms, 0) << boost::json::serialize(failed);
  EXPECT_LT(reacted_ms - tripped_ms, 1000);
  EXPECT_LT(finished_ms - tripped_ms, 5000);

  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));
  auto upstreams = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/upstreams");
  EXPECT_EQ(upstreams.body.find("shop-v3"), std::string::npos) << upstreams.body;
  EXPECT_TRUE(live_pids("v3").empty());
  for (auto pid : deployed) EXPECT_NE(::kill(static_cast<pid_t>(pid), 0), 0) << "instance " << pid << " still runs";
}

// A healthy canary on a guarded route ends with the new version alone — and as the guard's new
// baseline: the proxy refuses a split without the guard's revert_to, so the controller's final
// split names it (it used to fail the rollout at its very last step).
TEST_F(ControllerGuardTest, HealthyCanaryOnAGuardedRouteSucceedsAndBecomesTheBaseline) {
  start_proxy(/*guard=*/true);
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 34200, 1, ""});
  start_traffic();
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  ASSERT_EQ(wait_finished(id, 60s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
  auto config = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/config");
  EXPECT_NE(config.body.find(R"("revert_to":"v2")"), std::string::npos) << config.body;
  EXPECT_EQ(config.body.find(R"("revert_to":"v1")"), std::string::npos) << config.body;
}

}  // namespace
}  // namespace switchyard::test
