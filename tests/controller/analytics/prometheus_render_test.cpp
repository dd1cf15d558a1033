// render_metrics on a small history: families, zero series of configured apps, label escaping,
// exact histogram lines.
#include <gtest/gtest.h>

#include "controller/analytics/prometheus.hpp"

namespace switchyard::controller::analytics {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(RenderMetrics, SeriesAndHistograms) {
  History history;
  // succeeded in 45 s; failed in 90 s after a rollback detected at +80 s, restored at +82.5 s.
  history.rollouts.push_back({1, "shop", "prod", "canary", 0, 45'000, "succeeded", {}, {}, {}});
  history.rollouts.push_back({2, "shop", "prod", "canary", 100'000, 190'000, "failed", 180'000, 182'500, {}});
  history.rollouts.push_back({3, "a\"b\\c\nd", "prod", "canary", 0, {}, {}, {}, {}, {}});
  history.guard_trips.push_back({5, "shop", "prod"});
  history.drift.push_back({1, true, "", "prod", "p1"});
  const auto text = render_metrics({&history, {"shop"}, {"prod", "dev"}, "1.2.3"});
  EXPECT_TRUE(has_line(text, "# TYPE switchyard_controller_rollouts_total counter"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_build_info{version=\"1.2.3\"} 1"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_rollouts_in_progress{app=\"shop\",env=\"dev\"} 0"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_rollouts_in_progress{app=\"a\\\"b\\\\c\\nd\",env=\"prod\"} 1"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_rollouts_total{app=\"shop\",env=\"prod\",result=\"failed\"} 1"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_rollouts_total{app=\"shop\",env=\"prod\",result=\"aborted\"} 0"));
  EXPECT_TRUE(has_line(
      text, "switchyard_controller_deployment_duration_seconds_bucket{app=\"shop\",env=\"prod\",le=\"60\"} 1"));
  EXPECT_TRUE(has_line(
      text, "switchyard_controller_deployment_duration_seconds_bucket{app=\"shop\",env=\"prod\",le=\"120\"} 2"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_deployment_duration_seconds_sum{app=\"shop\",env=\"prod\"} 135.000"));
  EXPECT_TRUE(
      has_line(text, "switchyard_controller_rollback_duration_seconds_bucket{app=\"shop\",env=\"prod\",le=\"1\"} 0"));
  EXPECT_TRUE(
      has_line(text, "switchyard_controller_rollback_duration_seconds_bucket{app=\"shop\",env=\"prod\",le=\"5\"} 1"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_rollback_duration_seconds_sum{app=\"shop\",env=\"prod\"} 2.500"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_guard_trips_total{app=\"shop\",env=\"prod\"} 1"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_drift_incidents_total{env=\"dev\"} 0"));
  EXPECT_TRUE(has_line(text, "switchyard_controller_drift_active{env=\"prod\"} 1"));
}

}  // namespace
}  // namespace switchyard::controller::analytics
