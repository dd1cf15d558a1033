// StateStore: the hook_runs table (docs/hooks.md).
#include <gtest/gtest.h>

#include "tests/controller/store/store_test_util.hpp"

namespace switchyard::controller::store {
namespace {

using test::new_rollout;
using test::open_ok;

TEST(HookRunRecords, RoundTripInOrderPerRolloutAndSurviveReopen) {
  switchyard::test::TempDir dir;
  const auto path = dir.path() + "/state.db";
  std::int64_t first_rollout = 0;
  HookRunRow gate{0, 0, "pre_traffic", 1, "run", "./gate.sh v2", 5000, 1200, false, 1, std::nullopt,
                  "critical: 2\n", "'./gate.sh v2' exited with code 1"};
  HookRunRow smoke{0, 0, "post_deploy", 0, "http", "POST http://127.0.0.1:1/smoke", 7000, 15, true, std::nullopt, 204,
                   "HTTP 204\n", ""};
  {
    StateStore store;
    open_ok(store, path);
    first_rollout = store.create_rollout(new_rollout("shop", "staging", "v2", 1000)).value();
    const auto other = store.create_rollout(new_rollout("cart", "staging", "v7", 1000)).value();
    gate.rollout_id = first_rollout;
    smoke.rollout_id = first_rollout;
    gate.id = store.add_hook_run(gate).value();
    auto stranger = smoke;
    stranger.rollout_id = other;
    ASSERT_TRUE(store.add_hook_run(stranger).ok());
    smoke.id = store.add_hook_run(smoke).value();
  }
  StateStore reopened;
  open_ok(reopened, path);
  auto rows = reopened.hook_runs(first_rollout);
  ASSERT_TRUE(rows.ok()) << rows.error();
  EXPECT_EQ(rows.value(), (std::vector<HookRunRow>{gate, smoke}));
  EXPECT_TRUE(reopened.hook_runs(999).value().empty());
}

TEST(HookRunRecords, KindIsCheckedByTheSchema) {
  switchyard::test::TempDir dir;
  StateStore store;
  open_ok(store, dir.path() + "/state.db");
  const auto id = store.create_rollout(new_rollout("shop", "staging", "v2", 1000)).value();
  HookRunRow row{0, id, "per_step", 0, "grpc", "x", 1, 1, true, std::nullopt, std::nullopt, "", ""};
  EXPECT_FALSE(store.add_hook_run(row).ok());
}

}  // namespace
}  // namespace switchyard::controller::store
