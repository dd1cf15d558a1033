#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "tests/controller/rollout/rollout_harness.hpp"

namespace switchyard::controller::rollout {
namespace {

using testing::base_spec;
using testing::RolloutHarness;

// What the store does: snapshot -> JSON text -> snapshot.
RolloutSnapshot through_json(const RolloutSnapshot& snapshot) {
  const auto text = boost::json::serialize(to_json(snapshot));
  std::string error;
  auto back = snapshot_from_json(boost::json::parse(text).as_object(), error);
  EXPECT_TRUE(back.has_value()) << error;
  return back.value_or(RolloutSnapshot{});
}

// Answers `done` actions of a rollout, then "crashes" (the executor had persisted the snapshot
// before performing the last action) and restores it; the restored rollout must re-issue the
// pending action and finish with the same actions the uninterrupted one emitted.
void crash_and_resume_at_every_action(const RolloutSpec& spec, void (*answer)(RolloutHarness&)) {
  RolloutHarness reference(spec);
  reference.start();
  while (!reference.rollout().finished() && reference.log().size() < 200) answer(reference);
  const auto expected = reference.trace();
  ASSERT_GT(expected.size(), 5u);

  for (std::size_t done = 0; done + 1 < expected.size(); ++done) {
    RolloutHarness before(spec);
    before.start();
    for (std::size_t i = 0; i < done; ++i) answer(before);
    const auto pending = before.last();
    const auto snapshot = through_json(before.rollout().snapshot());
    EXPECT_EQ(snapshot, before.rollout().snapshot());

    std::string error;
    auto restored = Rollout::restore(spec, snapshot, before.now() + 50, error);
    ASSERT_TRUE(restored.has_value()) << error;
    const auto reissued = restored->resume(before.now() + 50);
    ASSERT_EQ(reissued.size(), 1u) << "crash after " << done << " actions, phase " << snapshot.phase;
    EXPECT_EQ(reissued[0].id, pending.id) << "same id: the executor may have seen it";
    EXPECT_EQ(describe(reissued[0]), describe(pending)) << "phase " << snapshot.phase;

    // Continue the restored rollout; its log starts with the re-issued action.
    RolloutHarness after(std::move(*restored), before.now() + 50);
    after.seed(reissued);
    auto trace = before.trace();
    while (!after.rollout().finished() && after.log().size() < 200) answer(after);
    auto rest = after.trace();
    trace.insert(trace.end(), rest.begin() + 1, rest.end());
    EXPECT_EQ(trace, expected) << "crash after " << done << " actions";
  }
}

void answer_ok(RolloutHarness& h) { h.ok(); }

// A canary whose second step fails: restore must also work in the middle of a rollback.
void answer_fail_step_two(RolloutHarness& h) {
  if (std::holds_alternative<Analyze>(h.last().body) && h.rollout().snapshot().step_index == 1) {
    h.verdict(VerdictKind::fail, "bad");
    return;
  }
  h.ok();
}

TEST(RolloutRestore, CanaryResumesThePendingActionAfterACrashAtEveryPhase) {
  crash_and_resume_at_every_action(base_spec("canary"), answer_ok);
}

TEST(RolloutRestore, CanaryResumesMidRollback) {
  crash_and_resume_at_every_action(base_spec("canary"), answer_fail_step_two);
}

TEST(RolloutRestore, OtherStrategiesResumeAtEveryPhase) {
  auto blue_green = base_spec("blue-green");
  blue_green.strategy.preview = true;
  crash_and_resume_at_every_action(blue_green, answer_ok);
  auto rolling = base_spec("rolling");
  rolling.instances = 3;
  crash_and_resume_at_every_action(rolling, answer_ok);
  crash_and_resume_at_every_action(base_spec("recreate"), answer_ok);
}

TEST(RolloutRestore, AWaitKeepsItsPersistedDeadline) {
  RolloutHarness h(base_spec("canary"));
  h.start();
  while (!std::holds_alternative<WaitUntil>(h.last().body)) h.ok();
  const auto deadline = h.last_as<WaitUntil>().time_ms;
  std::string error;
  auto restored = Rollout::restore(base_spec("canary"), h.rollout().snapshot(), deadline - 10'000, error);
  ASSERT_TRUE(restored.has_value()) << error;
  const auto actions = restored->resume(deadline - 10'000);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<WaitUntil>(actions[0].body).time_ms, deadline) << "a restart does not restart the pause";
  EXPECT_TRUE(restored->on(Tick{}, deadline - 1).empty());
  const auto next = restored->on(Tick{}, deadline);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<Analyze>(next[0].body));
}

TEST(RolloutRestore, APausedHeldRolloutStaysHeldUntilResumed) {
  RolloutHarness h(base_spec("canary"));
  h.start();
  while (!std::holds_alternative<Analyze>(h.last().body)) h.ok();
  h.manual(ManualCommand::pause);
  h.ok();
  ASSERT_TRUE(h.rollout().snapshot().held);
  std::string error;
  auto restored = Rollout::restore(base_spec("canary"), h.rollout().snapshot(), h.now(), error);
  ASSERT_TRUE(restored.has_value()) << error;
  EXPECT_TRUE(restored->resume(h.now()).empty());
  const auto actions = restored->on(Manual{ManualCommand::resume}, h.now());
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(RolloutHarness::short_name(actions[0]), "weights v1=50,v2=50");
}

TEST(RolloutRestore, RefusesASnapshotOfAnotherStrategyOrPhase) {
  RolloutHarness h(base_spec("canary"));
  h.start();
  auto snapshot = h.rollout().snapshot();
  std::string error;
  EXPECT_FALSE(Rollout::restore(base_spec("rolling"), snapshot, 0, error).has_value());
  EXPECT_NE(error.find("canary"), std::string::npos) << error;
  snapshot.phase = "dancing";
  EXPECT_FALSE(Rollout::restore(base_spec("canary"), snapshot, 0, error).has_value());
  EXPECT_NE(error.find("dancing"), std::string::npos) << error;
}

TEST(RolloutRestore, SnapshotJsonNamesTheBadField) {
  auto json = to_json(RolloutSnapshot{});
  json["step_index"] = "three";
  std::string error;
  EXPECT_FALSE(snapshot_from_json(json, error).has_value());
  EXPECT_NE(error.find("step_index"), std::string::npos) << error;
  json.erase("step_index");
  EXPECT_FALSE(snapshot_from_json(json, error).has_value());
}

TEST(Rollout, AnUnknownStrategyKindFinishesAsFailed) {
  RolloutHarness h(base_spec("big-bang"));
  const auto actions = h.start();
  ASSERT_EQ(actions.size(), 1u);
  const auto* finish = std::get_if<Finish>(&actions[0].body);
  ASSERT_NE(finish, nullptr);
  EXPECT_EQ(finish->result, RolloutResult::failed);
  EXPECT_NE(finish->reason.find("big-bang"), std::string::npos);
  EXPECT_TRUE(h.rollout().finished());
}

}  // namespace
}  // namespace switchyard::controller::rollout
