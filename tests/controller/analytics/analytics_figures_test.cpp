// Analytics from a scripted history in a real state file: every figure of docs/analytics.md
// compared exactly with the values worked out by hand (scripted_history.hpp).
#include <gtest/gtest.h>

#include "controller/analytics/figures.hpp"
#include "controller/analytics/report_json.hpp"
#include "tests/controller/analytics/scripted_history.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::analytics {
namespace {

using namespace switchyard::test::history;

constexpr std::int64_t kT0 = 1'700'000'000'000;

class AnalyticsFiguresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.open(dir_.path() + "/state.db").ok());
    write(store_, kT0, true);
  }

  Report report(std::int64_t since, const std::string& app = "", const std::string& env = "") {
    auto history = store_.analytics_history({since, app, env});
    EXPECT_TRUE(history.ok()) << history.error();
    return compute_report(history.value(), since, kT0 + 24 * kHour);
  }

  static const Figures& group(const Report& report, const std::string& app, const std::string& env) {
    for (const auto& g : report.groups) {
      if (g.app == app && g.env == env) return g.figures;
    }
    ADD_FAILURE() << "no group " << app << "/" << env;
    static const Figures kNone;
    return kNone;
  }

  test::TempDir dir_;
  store::StateStore store_;
};

TEST_F(AnalyticsFiguresTest, StoreReadsDetectionAndRestoreTimes) {
  auto history = store_.analytics_history({});
  ASSERT_TRUE(history.ok()) << history.error();
  ASSERT_EQ(history.value().rollouts.size(), 9u);
  const auto& r2 = history.value().rollouts[3];  // ids in start order: R1 R7 R9 R2 ...
  EXPECT_EQ(r2.started_at, kT0 + kHour);
  EXPECT_EQ(r2.guard_trip_at, kT0 + kHour + 40 * kSecond);
  EXPECT_EQ(r2.rollback_at, kT0 + kHour + 41 * kSecond);
  EXPECT_EQ(r2.restored_at, kT0 + kHour + 43 * kSecond);
  EXPECT_EQ(restore_ms(r2), 3 * kSecond);
  EXPECT_EQ(history.value().guard_trips.size(), 3u);
  EXPECT_EQ(history.value().drift.size(), 8u);
}

TEST_F(AnalyticsFiguresTest, EveryFigurePerGroupAndInTotal) {
  const auto r = report(0);
  ASSERT_EQ(r.groups.size(), 3u);
  EXPECT_EQ(r.groups[0].app, "cart");  // sorted by app, then env
  EXPECT_EQ(r.groups[2].env, "staging");

  const auto& prod = group(r, "shop", "prod");
  EXPECT_EQ(prod.deployments, 6);
  EXPECT_EQ(prod.in_progress, 0);
  EXPECT_EQ(prod.finished, 6);
  EXPECT_EQ(prod.succeeded, 2);
  EXPECT_EQ(prod.failed, 3);
  EXPECT_EQ(prod.aborted, 1);
  EXPECT_DOUBLE_EQ(*prod.success_rate, 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(*prod.change_failure_rate, 3.0 / 5.0);
  EXPECT_EQ(prod.mean_duration_ms, 87'500);
  EXPECT_EQ(prod.p90_duration_ms, 200'000);
  EXPECT_EQ(prod.rollbacks, 3);
  EXPECT_EQ(prod.restores, 2);
  EXPECT_EQ(prod.mean_time_to_restore_ms, 4'000);
  EXPECT_EQ(prod.guard_trips, 2);
  EXPECT_EQ(prod.drift_incidents, 0);

  const auto& staging = group(r, "shop", "staging");
  EXPECT_EQ(staging.deployments, 2);
  EXPECT_EQ(staging.in_progress, 1);
  EXPECT_EQ(staging.finished, 1);
  EXPECT_DOUBLE_EQ(*staging.success_rate, 1.0);
  EXPECT_DOUBLE_EQ(*staging.change_failure_rate, 0.0);
  EXPECT_EQ(staging.mean_duration_ms, 60'000);
  EXPECT_EQ(staging.p90_duration_ms, 60'000);
  EXPECT_EQ(staging.rollbacks, 0);
  EXPECT_EQ(staging.restores, 0);
  EXPECT_FALSE(staging.mean_time_to_restore_ms);
  EXPECT_EQ(staging.drift_incidents, 1);

  const auto& cart = group(r, "cart", "prod");
  EXPECT_EQ(cart.failed, 1);
  EXPECT_DOUBLE_EQ(*cart.success_rate, 0.0);
  EXPECT_DOUBLE_EQ(*cart.change_failure_rate, 1.0);
  EXPECT_EQ(cart.rollbacks, 1);
  EXPECT_EQ(cart.mean_time_to_restore_ms, 15'000);  // never at weight 0: restored = finished
  EXPECT_EQ(cart.guard_trips, 1);

  const auto& t = r.totals;
  EXPECT_EQ(t.deployments, 9);
  EXPECT_EQ(t.in_progress, 1);
  EXPECT_EQ(t.finished, 8);
  EXPECT_EQ(t.succeeded, 3);
  EXPECT_EQ(t.failed, 4);
  EXPECT_EQ(t.aborted, 1);
  EXPECT_DOUBLE_EQ(*t.success_rate, 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(*t.change_failure_rate, 4.0 / 7.0);
  EXPECT_EQ(t.mean_duration_ms, 76'250);
  EXPECT_EQ(t.p90_duration_ms, 200'000);
  EXPECT_EQ(t.rollbacks, 4);
  EXPECT_EQ(t.restores, 3);
  EXPECT_EQ(t.mean_time_to_restore_ms, 7'667);  // 23 s / 3, rounded to the nearest ms
  EXPECT_EQ(t.guard_trips, 3);
  EXPECT_EQ(t.drift_incidents, 4);

  ASSERT_EQ(r.environments.size(), 2u);
  EXPECT_EQ(r.environments[0].env, "prod");
  EXPECT_EQ(r.environments[0].incidents, 3);
  EXPECT_EQ(r.environments[0].active, 1);
  EXPECT_EQ(r.environments[1].env, "staging");
  EXPECT_EQ(r.environments[1].incidents, 1);
  EXPECT_EQ(r.environments[1].active, 0);
}

TEST_F(AnalyticsFiguresTest, SinceKeepsOnlyTheWindow) {
  const auto r = report(kT0 + 2 * kHour);
  ASSERT_EQ(r.groups.size(), 2u);
  const auto& prod = group(r, "shop", "prod");
  EXPECT_EQ(prod.deployments, 4);
  EXPECT_EQ(prod.succeeded, 1);
  EXPECT_EQ(prod.failed, 2);
  EXPECT_EQ(prod.aborted, 1);
  EXPECT_DOUBLE_EQ(*prod.success_rate, 0.25);
  EXPECT_DOUBLE_EQ(*prod.change_failure_rate, 2.0 / 3.0);
  EXPECT_EQ(prod.mean_duration_ms, 88'750);
  EXPECT_EQ(prod.p90_duration_ms, 200'000);
  EXPECT_EQ(prod.rollbacks, 2);
  EXPECT_EQ(prod.mean_time_to_restore_ms, 5'000);
  EXPECT_EQ(prod.guard_trips, 1);
  const auto& staging = group(r, "shop", "staging");
  EXPECT_EQ(staging.deployments, 1);
  EXPECT_EQ(staging.in_progress, 1);
  EXPECT_FALSE(staging.success_rate);
  EXPECT_FALSE(staging.mean_duration_ms);
  EXPECT_EQ(r.totals.drift_incidents, 2);
  EXPECT_EQ(r.environments[0].incidents, 2);
  EXPECT_EQ(r.environments[0].active, 1);
}

TEST_F(AnalyticsFiguresTest, AppAndEnvFilters) {
  const auto r = report(0, "shop", "prod");
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.totals.deployments, 6);
  EXPECT_EQ(r.totals.guard_trips, 2);
  const auto json = report_json(r);
  EXPECT_EQ(json.at("totals").at("p90_duration_ms").as_int64(), 200'000);
  EXPECT_TRUE(report(0, "nope").groups.empty());
}

TEST(NearestRank, Definition) {
  EXPECT_FALSE(nearest_rank({}, 90));
  EXPECT_EQ(nearest_rank({7}, 90), 7);
  EXPECT_EQ(nearest_rank({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90), 9);  // rank 9 of 10
  EXPECT_EQ(nearest_rank({10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11}, 90), 10);  // rank ceil(9.9) = 10
  EXPECT_EQ(nearest_rank({5, 1}, 50), 1);
}

}  // namespace
}  // namespace switchyard::controller::analytics
