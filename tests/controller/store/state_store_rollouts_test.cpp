// Rollouts and their transitions: creation, atomic state changes, finishing, queries.
#include <gtest/gtest.h>

#include "tests/controller/store/store_test_util.hpp"

namespace switchyard::controller::store {
namespace {

using test::new_rollout;
using test::open_ok;
using test::RawConnection;

class StateStoreRollouts : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/state.db";
    open_ok(store_, path_);
  }

  std::int64_t create(const std::string& app, const std::string& env, const std::string& version, std::int64_t at) {
    auto id = store_.create_rollout(new_rollout(app, env, version, at));
    EXPECT_TRUE(id.ok()) << id.error();
    return id.value();
  }

  RolloutRow get(std::int64_t id) {
    auto row = store_.get_rollout(id);
    EXPECT_TRUE(row.ok() && row.value().has_value()) << row.error();
    return row.value().value_or(RolloutRow{});
  }

  switchyard::test::TempDir dir_;
  std::string path_;
  StateStore store_;
};

TEST_F(StateStoreRollouts, CreateStoresEveryFieldAndFirstTransition) {
  RolloutRow row = new_rollout("shop", "production", "v2", 5000);
  row.step_index = 1;
  row.weight = 5;
  row.forced_by = "alice";
  row.forced_reason = "hotfix";
  auto id = store_.create_rollout(row);
  ASSERT_TRUE(id.ok()) << id.error();
  RolloutRow expected = row;
  expected.id = id.value();
  expected.updated_at = 5000;
  EXPECT_EQ(get(id.value()), expected);

  auto transitions = store_.transitions(id.value());
  ASSERT_TRUE(transitions.ok());
  ASSERT_EQ(transitions.value().size(), 1u);
  EXPECT_EQ(transitions.value()[0], (TransitionRow{id.value(), 1, 5000, "", "deploying", 1, 5, "started by test"}));
  auto missing = store_.get_rollout(id.value() + 100);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().has_value());
}

TEST_F(StateStoreRollouts, OnlyOneActiveRolloutPerAppAndEnvironment) {
  const auto id = create("shop", "staging", "v2", 1);
  auto second = store_.create_rollout(new_rollout("shop", "staging", "v3", 2));
  EXPECT_EQ(second.error(), "app 'shop' already has an active rollout in 'staging'");
  create("shop", "production", "v2", 3);  // another environment is independent
  create("cart", "staging", "v9", 4);     // and so is another app
  ASSERT_TRUE(store_.finish_rollout(id, kResultSucceeded, "done", 10).ok());
  create("shop", "staging", "v3", 11);    // finished rollouts free the slot
}

TEST_F(StateStoreRollouts, UpdateWritesStateAndTransitionTogether) {
  const auto id = create("shop", "staging", "v2", 1000);
  ASSERT_TRUE(store_.update_rollout_state(id, "step", 0, 5, "weights set", 2000).ok());
  ASSERT_TRUE(store_.update_rollout_state(id, "analysing", 0, 5, "pause over", 32000).ok());
  const auto row = get(id);
  EXPECT_EQ(row.state, "analysing");
  EXPECT_EQ(row.step_index, 0);
  EXPECT_EQ(row.weight, 5);
  EXPECT_EQ(row.reason, "pause over");
  EXPECT_EQ(row.updated_at, 32000);
  EXPECT_EQ(row.started_at, 1000);
  auto transitions = store_.transitions(id);
  ASSERT_TRUE(transitions.ok());
  ASSERT_EQ(transitions.value().size(), 3u);
  EXPECT_EQ(transitions.value()[1], (TransitionRow{id, 2, 2000, "deploying", "step", 0, 5, "weights set"}));
  EXPECT_EQ(transitions.value()[2], (TransitionRow{id, 3, 32000, "step", "analysing", 0, 5, "pause over"}));
}

// If the transition row cannot be written, the rollout row must not change either.
TEST_F(StateStoreRollouts, FailedTransitionInsertLeavesRolloutUnchanged) {
  const auto id = create("shop", "staging", "v2", 1000);
  RawConnection raw(path_);
  ASSERT_EQ(raw.exec("CREATE TRIGGER injected BEFORE INSERT ON rollout_transitions "
                     "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"),
            "");
  auto status = store_.update_rollout_state(id, "step", 1, 10, "promote", 2000);
  EXPECT_EQ(status.error, "injected failure");
  const auto row = get(id);
  EXPECT_EQ(row.state, "deploying");
  EXPECT_EQ(row.weight, 0);
  EXPECT_EQ(row.updated_at, 1000);
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM rollout_transitions"), 1);

  ASSERT_EQ(raw.exec("DROP TRIGGER injected"), "");
  ASSERT_TRUE(store_.update_rollout_state(id, "step", 1, 10, "promote", 3000).ok());
  EXPECT_EQ(get(id).state, "step");
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM rollout_transitions"), 2);
}

TEST_F(StateStoreRollouts, UnknownOrFinishedRolloutCannotChange) {
  EXPECT_EQ(store_.update_rollout_state(42, "step", 0, 5, "", 1).error, "no rollout 42");
  EXPECT_EQ(store_.finish_rollout(42, kResultFailed, "", 1).error, "no rollout 42");
  const auto id = create("shop", "staging", "v2", 1000);
  EXPECT_EQ(store_.finish_rollout(id, "maybe", "", 1).error,
            "result must be succeeded, failed or aborted, got 'maybe'");
  ASSERT_TRUE(store_.finish_rollout(id, kResultFailed, "analysis failed at step 2", 9000).ok());
  const auto row = get(id);
  EXPECT_EQ(row.result, std::optional<std::string>(kResultFailed));
  EXPECT_EQ(row.finished_at, std::optional<std::int64_t>(9000));
  EXPECT_EQ(row.updated_at, 9000);
  EXPECT_EQ(row.reason, "analysis failed at step 2");
  const std::string finished = "rollout " + std::to_string(id) + " is finished";
  EXPECT_EQ(store_.update_rollout_state(id, "step", 0, 5, "", 10000).error, finished);
  EXPECT_EQ(store_.finish_rollout(id, kResultSucceeded, "", 10000).error, finished);
  EXPECT_EQ(get(id).result, std::optional<std::string>(kResultFailed));
}

TEST_F(StateStoreRollouts, ActiveRolloutQueries) {
  auto none = store_.active_rollout("shop", "staging");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());
  const auto a = create("shop", "staging", "v2", 1);
  const auto b = create("cart", "production", "v5", 2);
  const auto c = create("shop", "production", "v1", 3);
  ASSERT_TRUE(store_.finish_rollout(c, kResultAborted, "operator", 4).ok());

  auto shop = store_.active_rollout("shop", "staging");
  ASSERT_TRUE(shop.ok() && shop.value().has_value());
  EXPECT_EQ(shop.value()->id, a);
  auto finished = store_.active_rollout("shop", "production");
  ASSERT_TRUE(finished.ok());
  EXPECT_FALSE(finished.value().has_value());
  auto all = store_.active_rollouts();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all.value().size(), 2u);
  EXPECT_EQ(all.value()[0].id, a);
  EXPECT_EQ(all.value()[1].id, b);
}

TEST_F(StateStoreRollouts, ListIsNewestFirstWithFilterAndLimit) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(create("shop", "staging", "v" + std::to_string(i), 100 * i));
    ASSERT_TRUE(store_.finish_rollout(ids.back(), kResultSucceeded, "", 100 * i + 50).ok());
  }
  create("cart", "staging", "v1", 1000);
  auto shop = store_.list_rollouts("shop", 3);
  ASSERT_TRUE(shop.ok());
  ASSERT_EQ(shop.value().size(), 3u);
  EXPECT_EQ(shop.value()[0].id, ids[3]);
  EXPECT_EQ(shop.value()[1].id, ids[2]);
  EXPECT_EQ(shop.value()[2].id, ids[1]);
  auto all = store_.list_rollouts("", 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all.value().size(), 5u);
  EXPECT_EQ(all.value()[0].app, "cart");
  auto nothing = store_.list_rollouts("search", 10);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing.value().empty());
}

TEST_F(StateStoreRollouts, HasSucceededCountsOnlySucceededRolloutsOfThatVersionAndEnv) {
  const auto failed = create("shop", "staging", "v2", 1);
  ASSERT_TRUE(store_.finish_rollout(failed, kResultFailed, "", 2).ok());
  EXPECT_FALSE(store_.has_succeeded("shop", "staging", "v2").value());
  const auto running = create("shop", "staging", "v2", 3);
  EXPECT_FALSE(store_.has_succeeded("shop", "staging", "v2").value());
  ASSERT_TRUE(store_.finish_rollout(running, kResultSucceeded, "", 4).ok());
  auto yes = store_.has_succeeded("shop", "staging", "v2");
  ASSERT_TRUE(yes.ok());
  EXPECT_TRUE(yes.value());
  EXPECT_FALSE(store_.has_succeeded("shop", "production", "v2").value());
  EXPECT_FALSE(store_.has_succeeded("shop", "staging", "v3").value());
  EXPECT_FALSE(store_.has_succeeded("cart", "staging", "v2").value());
}

}  // namespace
}  // namespace switchyard::controller::store
