#include "proxy/routing/endpoint_health_rules.hpp"

#include <gtest/gtest.h>

namespace switchyard::proxy::routing {
namespace {

config::HealthCheckConfig check_of(std::uint32_t healthy, std::uint32_t unhealthy) {
  config::HealthCheckConfig check;
  check.healthy = healthy;
  check.unhealthy = unhealthy;
  return check;
}

config::OutlierDetectionConfig outlier_of(std::uint32_t failures, std::uint32_t base, std::uint32_t max) {
  config::OutlierDetectionConfig outlier;
  outlier.consecutive_failures = failures;
  outlier.base_ejection_ms = base;
  outlier.max_ejection_ms = max;
  return outlier;
}

const ProbeResult kPass{true, {}};
const ProbeResult kFail{false, "status 503"};

TEST(EndpointHealthRulesTest, NewEndpointStartsHealthyAndNeedsUnhealthyFailuresInARow) {
  EndpointControlState state;
  const auto check = check_of(2, 3);
  EXPECT_TRUE(state.active_healthy);
  EXPECT_EQ(apply_check(state, kFail, check, 10), HealthChange::none);
  EXPECT_EQ(apply_check(state, kFail, check, 20), HealthChange::none);
  EXPECT_EQ(apply_check(state, kPass, check, 30), HealthChange::none);  // breaks the streak
  EXPECT_EQ(apply_check(state, kFail, check, 40), HealthChange::none);
  EXPECT_EQ(apply_check(state, kFail, check, 50), HealthChange::none);
  EXPECT_EQ(apply_check(state, kFail, check, 60), HealthChange::went_down);
  EXPECT_FALSE(state.active_healthy);
  EXPECT_EQ(state.last_error, "status 503");
  EXPECT_EQ(state.last_check_ms, 60);
  EXPECT_EQ(apply_check(state, kFail, check, 70), HealthChange::none);  // already down
}

TEST(EndpointHealthRulesTest, ComesBackAfterHealthyPassesInARow) {
  EndpointControlState state;
  state.active_healthy = false;
  const auto check = check_of(2, 3);
  EXPECT_EQ(apply_check(state, kPass, check, 1), HealthChange::none);
  EXPECT_EQ(apply_check(state, kFail, check, 2), HealthChange::none);
  EXPECT_EQ(apply_check(state, kPass, check, 3), HealthChange::none);
  EXPECT_EQ(apply_check(state, kPass, check, 4), HealthChange::went_up);
  EXPECT_TRUE(state.active_healthy);
  EXPECT_EQ(state.check_successes, 2u);
  EXPECT_EQ(state.check_failures, 0u);
}

TEST(EndpointHealthRulesTest, EjectionTimeGrowsLinearlyAndIsCapped) {
  const auto outlier = outlier_of(5, 1000, 3500);
  EXPECT_EQ(ejection_ms(1, outlier), 1000);
  EXPECT_EQ(ejection_ms(2, outlier), 2000);
  EXPECT_EQ(ejection_ms(3, outlier), 3000);
  EXPECT_EQ(ejection_ms(4, outlier), 3500);
  EXPECT_EQ(ejection_ms(1000000, outlier), 3500);
}

TEST(EndpointHealthRulesTest, EjectsAtTheThresholdAndReturnsWhenTheTimeIsUp) {
  EndpointControlState state;
  const auto outlier = outlier_of(3, 1000, 10000);
  EXPECT_EQ(step_outlier(state, 2, true, outlier, 0), EjectionChange::none);
  EXPECT_EQ(step_outlier(state, 3, true, outlier, 0), EjectionChange::ejected);
  EXPECT_TRUE(state.ejected);
  EXPECT_EQ(state.ejected_until_ms, 1000);
  EXPECT_EQ(step_outlier(state, 3, true, outlier, 999), EjectionChange::none);
  EXPECT_EQ(step_outlier(state, 3, true, outlier, 1000), EjectionChange::returned);
  EXPECT_FALSE(state.ejected);
  // The monitor clears the failure count on return; a new streak ejects for twice as long.
  EXPECT_EQ(step_outlier(state, 3, true, outlier, 1500), EjectionChange::ejected);
  EXPECT_EQ(state.ejections, 2u);
  EXPECT_EQ(state.ejected_until_ms, 3500);
}

TEST(EndpointHealthRulesTest, NeverEjectsTheLastUsableEndpointAndWarnsOncePerStreak) {
  EndpointControlState state;
  const auto outlier = outlier_of(3, 1000, 10000);
  EXPECT_EQ(step_outlier(state, 3, false, outlier, 0), EjectionChange::kept_last);
  EXPECT_EQ(step_outlier(state, 9, false, outlier, 50), EjectionChange::none);  // warned already
  EXPECT_FALSE(state.ejected);
  EXPECT_EQ(step_outlier(state, 0, false, outlier, 100), EjectionChange::none);  // streak broken
  EXPECT_EQ(step_outlier(state, 3, false, outlier, 150), EjectionChange::kept_last);
  EXPECT_EQ(step_outlier(state, 3, true, outlier, 200), EjectionChange::ejected);  // another came back
}

TEST(EndpointHealthRulesTest, EjectionCountDecaysAfterQuietMaxEjectionTime) {
  EndpointControlState state;
  const auto outlier = outlier_of(1, 1000, 4000);
  ASSERT_EQ(step_outlier(state, 1, true, outlier, 0), EjectionChange::ejected);
  ASSERT_EQ(step_outlier(state, 0, true, outlier, 1000), EjectionChange::returned);
  ASSERT_EQ(step_outlier(state, 1, true, outlier, 1100), EjectionChange::ejected);
  ASSERT_EQ(state.ejections, 2u);
  ASSERT_EQ(step_outlier(state, 0, true, outlier, 3100), EjectionChange::returned);
  EXPECT_EQ(step_outlier(state, 0, true, outlier, 7099), EjectionChange::none);
  EXPECT_EQ(state.ejections, 2u);
  EXPECT_EQ(step_outlier(state, 0, true, outlier, 7100), EjectionChange::none);
  EXPECT_EQ(state.ejections, 1u);
  EXPECT_EQ(step_outlier(state, 1, true, outlier, 7200), EjectionChange::ejected);
  EXPECT_EQ(state.ejections, 2u);
  EXPECT_EQ(state.ejected_until_ms, 9200);
}

TEST(EndpointHealthTest, WorkersWriteOnlyOnChange) {
  EndpointHealth health;
  EXPECT_TRUE(health.usable());
  health.report_success();
  EXPECT_EQ(health.consecutive_failures(), 0u);
  health.report_failure();
  health.report_failure();
  EXPECT_EQ(health.consecutive_failures(), 2u);
  health.report_success();
  EXPECT_EQ(health.consecutive_failures(), 0u);
  health.control.ejected = true;
  health.refresh_usable();
  EXPECT_FALSE(health.usable());
}

}  // namespace
}  // namespace switchyard::proxy::routing
