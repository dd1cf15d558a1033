// The cost of a /metrics scrape on a long history: 10,000 finished rollouts (a third rolled back)
// and 10,000 guard and drift events, read through the indexed queries and rendered.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>

#include "controller/analytics/figures.hpp"
#include "controller/analytics/prometheus.hpp"
#include "controller/store/state_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::analytics {
namespace {

// One transaction of generated rows (the store's API commits each row with a full sync).
void bulk_history(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const char* sql = R"sql(
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO rollouts (app, env, version, baseline_version, strategy, state, step_index, weight, started_at,
                      updated_at, finished_at, result)
SELECT 'app' || (i % 20), 'env' || (i % 3), 'v' || i, 'v0', 'canary', 'done', 0, 0, i * 60000, i * 60000,
       i * 60000 + 30000 + i % 7 * 1000, CASE i % 3 WHEN 0 THEN 'failed' ELSE 'succeeded' END FROM n;
INSERT INTO rollout_transitions (rollout_id, seq, at, from_state, to_state, step_index, weight)
SELECT id, 2, started_at + 10000, 'step', 'rolling_back', 0, 50 FROM rollouts WHERE result = 'failed';
INSERT INTO rollout_transitions (rollout_id, seq, at, from_state, to_state, step_index, weight)
SELECT id, 3, started_at + 12000, 'rolling_back', 'rolling_back', 0, 0 FROM rollouts WHERE result = 'failed';
INSERT INTO events (at, kind, app, env, rollout_id, detail)
SELECT started_at + 9000, 'guard_tripped', app, env, id, '{}' FROM rollouts WHERE result = 'failed';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
INSERT INTO events (at, kind, env, detail)
SELECT i * 1000, CASE i % 2 WHEN 1 THEN 'drift_found' ELSE 'drift_resolved' END, 'env' || (i / 2 % 3),
       '{"proxy":"p' || (i / 6 % 4) || '"}' FROM n;
INSERT INTO events (at, kind, app, env) SELECT i, 'rollout_step', 'x', 'y' FROM
  (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) SELECT i FROM n);
COMMIT;
)sql";
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(AnalyticsScale, ScrapeOfTenThousandRollouts) {
  test::TempDir dir;
  const auto path = dir.path() + "/state.db";
  {
    store::StateStore store;
    ASSERT_TRUE(store.open(path).ok());
  }
  bulk_history(path);
  store::StateStore store;
  ASSERT_TRUE(store.open(path).ok());
  const auto start = std::chrono::steady_clock::now();
  auto history = store.analytics_history({});
  ASSERT_TRUE(history.ok()) << history.error();
  const auto text = render_metrics({&history.value(), {}, {}, "test"});
  const auto report = compute_report(history.value(), 0, 1'000'000'000'000);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  std::printf("[ metric ] /metrics + analytics over 10000 rollouts, 9333 guard/drift events: %lldms, %zu bytes\n",
              static_cast<long long>(ms.count()), text.size());
  EXPECT_EQ(report.totals.deployments, 10000);
  EXPECT_EQ(report.totals.failed, 3333);
  EXPECT_EQ(report.totals.guard_trips, 3333);
  EXPECT_EQ(report.totals.restores, 3333);
  EXPECT_EQ(report.totals.mean_time_to_restore_ms, 3000);
  EXPECT_LT(ms.count(), 2000);  // ~100 ms in a debug build; the bound leaves room for sanitizers and load
}

}  // namespace
}  // namespace switchyard::controller::analytics
