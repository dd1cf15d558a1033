// Drift baselines and incidents in the state file (controller/store/drift_records.cpp).
#include <gtest/gtest.h>

#include "controller/store/state_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::store {
namespace {

TEST(DriftRecords, IncidentsOpenResolveAndFilter) {
  test::TempDir dir;
  StateStore store;
  ASSERT_TRUE(store.open(dir.path() + "/state.db").ok());
  DriftIncidentRow row;
  row.env = "prod";
  row.proxy = "127.0.0.1:9901";
  row.found_at = 1000;
  row.diff = "route shop: weight v2 desired 0, actual 7";
  row.detected_ms = 12;
  ASSERT_TRUE(store.open_drift_incident(row).ok());
  row.env = "staging";
  row.found_at = 2000;
  row.detected_ms.reset();
  ASSERT_TRUE(store.open_drift_incident(row).ok());
  ASSERT_TRUE(store.resolve_drift_incidents("prod", "127.0.0.1:9901", 1500, "accepted", "alice").ok());
  // No open incident left: not an error, nothing changes.
  ASSERT_TRUE(store.resolve_drift_incidents("prod", "127.0.0.1:9901", 1600, "reverted", "proxy").ok());

  auto all = store.drift_incidents("", 0);
  ASSERT_TRUE(all.ok()) << all.error();
  ASSERT_EQ(all.value().size(), 2u);
  EXPECT_EQ(all.value()[0].resolved_at, 1500);
  EXPECT_EQ(all.value()[0].resolution, "accepted");
  EXPECT_EQ(all.value()[0].resolved_by, "alice");
  EXPECT_EQ(all.value()[0].detected_ms, 12);
  EXPECT_FALSE(all.value()[1].resolved_at.has_value());
  EXPECT_FALSE(all.value()[1].detected_ms.has_value());
  EXPECT_EQ(store.drift_incidents("staging", 0).value().size(), 1u);
  EXPECT_EQ(store.drift_incidents("", 1500).value().size(), 1u);
}

TEST(DriftRecords, BaselinesNewestFirst) {
  test::TempDir dir;
  StateStore store;
  ASSERT_TRUE(store.open(dir.path() + "/state.db").ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store.add_drift_baseline({0, "prod", "p", i, "hash" + std::to_string(i), "{}", "controller change"}).ok());
  }
  auto rows = store.drift_baselines("prod", 2);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows.value().size(), 2u);
  EXPECT_EQ(rows.value()[0].config_hash, "hash2");
  EXPECT_EQ(rows.value()[0].reason, "controller change");
}

}  // namespace
}  // namespace switchyard::controller::store
