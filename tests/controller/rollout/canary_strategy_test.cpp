#include <gtest/gtest.h>

#include "tests/controller/rollout/rollout_harness.hpp"

namespace switchyard::controller::rollout {
namespace {

using testing::base_spec;
using testing::RolloutHarness;
using Trace = std::vector<std::string>;

// Drives the harness through deploy and registration up to the first step's SetWeights.
void to_first_step(RolloutHarness& h) {
  h.start();
  while (!std::holds_alternative<SetWeights>(h.last().body)) h.ok();
}

// Up to the Analyze of the current step.
void to_analyze(RolloutHarness& h) {
  while (!std::holds_alternative<Analyze>(h.last().body)) h.ok();
}

TEST(CanaryStrategy, HappyPathRunsEveryStepThenRetiresTheBaseline) {
  RolloutHarness h(base_spec("canary"));
  h.run_to_end();
  const Trace expected{"hooks pre_deploy", "deploy v2 2", "register v2",
                       "weights v1=90,v2=10", "hooks per_step", "wait", "analyze",
                       "weights v1=50,v2=50", "hooks per_step", "wait", "analyze",
                       "weights v1=0,v2=100", "hooks per_step", "wait", "analyze",
                       "hooks post_deploy", "split v2=100", "retire v1", "finish succeeded"};
  EXPECT_EQ(h.trace(), expected);
  const auto snapshot = h.rollout().snapshot();
  EXPECT_EQ(snapshot.phase, "finished");
  EXPECT_EQ(snapshot.result, "succeeded");
  EXPECT_EQ(snapshot.weight, 100u);
  EXPECT_EQ(snapshot.pending_action_id, 0u);
  EXPECT_TRUE(h.ok().empty()) << "a finished rollout emits nothing";
}

TEST(CanaryStrategy, WaitsPauseSecondsOnTheInjectedClockBeforeAnalysing) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  h.ok();  // weights
  h.ok();  // per-step hook
  const auto deadline = h.last_as<WaitUntil>().time_ms;
  EXPECT_EQ(deadline, h.now() + 30'000);
  h.now() = deadline - 1;
  EXPECT_TRUE(h.feed(Tick{}).empty()) << "one millisecond early";
  h.now() = deadline;
  EXPECT_EQ(testing::name_of(h.feed(Tick{})), "analyze");
  EXPECT_EQ(h.last_as<Analyze>().window_ms, 30'000u);
}

TEST(CanaryStrategy, FailingAnalysisPutsWeightsBackOnTheBaselineFirst) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  to_analyze(h);
  h.ok();  // step 1 passes
  to_analyze(h);
  const auto from = h.log().size();
  h.verdict(VerdictKind::fail, "error rate 0.2 above max_error_rate 0.01");
  EXPECT_EQ(h.rollout().snapshot().phase, "rolling_back");
  EXPECT_EQ(h.rollout().snapshot().rollback_from, "analyze");
  EXPECT_EQ(h.rollout().snapshot().weight, 50u);
  h.ok();
  EXPECT_EQ(h.rollout().snapshot().weight, 0u) << "traffic is back on the baseline";
  EXPECT_FALSE(h.rollout().finished());
  h.run_to_end();
  EXPECT_EQ(h.trace(from), (Trace{"weights v1=100,v2=0", "split v1=100", "retire v2", "finish failed"}));
  ASSERT_NE(h.finish(), nullptr);
  EXPECT_NE(h.finish()->reason.find("analysis failed at step 2 (50%)"), std::string::npos) << h.finish()->reason;
  EXPECT_EQ(h.rollout().snapshot().figures.at("analysis").at("verdict"), "fail");
  EXPECT_EQ(h.rollout().snapshot().weight, 0u);
}

TEST(CanaryStrategy, InconclusiveHoldsTheStepThenPasses) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  to_analyze(h);
  h.verdict(VerdictKind::inconclusive, "12 requests");
  EXPECT_EQ(h.last_as<WaitUntil>().time_ms, h.now() + 5'000) << "re-analysed after recheck_ms";
  EXPECT_EQ(h.rollout().snapshot().inconclusive_count, 1u);
  EXPECT_EQ(h.rollout().snapshot().weight, 10u) << "held at the step's weight, not advanced";
  h.ok();
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "analyze");
  h.ok();  // pass
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "weights v1=50,v2=50");
  EXPECT_EQ(h.rollout().snapshot().inconclusive_count, 0u);
}

TEST(CanaryStrategy, InconclusiveUntilTheLimitFailsTheRollout) {
  RolloutHarness h(base_spec("canary"));  // inconclusive_limit 3
  to_first_step(h);
  to_analyze(h);
  h.verdict(VerdictKind::inconclusive, "too few");
  h.ok();
  h.verdict(VerdictKind::inconclusive, "too few");
  h.ok();
  const auto from = h.log().size();
  h.verdict(VerdictKind::inconclusive, "too few");
  h.run_to_end();
  EXPECT_EQ(h.trace(from), (Trace{"weights v1=100,v2=0", "split v1=100", "retire v2", "finish failed"}));
  EXPECT_NE(h.finish()->reason.find("inconclusive 3 times in a row"), std::string::npos) << h.finish()->reason;
}

TEST(CanaryStrategy, AbortMidStepRollsBackAndIgnoresTheCancelledWait) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  h.ok();
  h.ok();
  const auto wait = h.last();
  ASSERT_TRUE(std::holds_alternative<WaitUntil>(wait.body));
  const auto from = h.log().size();
  h.manual(ManualCommand::abort);
  EXPECT_EQ(h.trace(from), Trace{"weights v1=100,v2=0"}) << "traffic first";
  h.now() = std::get<WaitUntil>(wait.body).time_ms;
  EXPECT_TRUE(h.feed(Tick{}).empty()) << "the wait was cancelled";
  EXPECT_TRUE(h.feed(ActionSucceeded{wait.id}).empty()) << "a stale reply is ignored";
  EXPECT_TRUE(h.manual(ManualCommand::promote).empty()) << "no promote while rolling back";
  h.run_to_end();
  EXPECT_EQ(h.trace(from), (Trace{"weights v1=100,v2=0", "split v1=100", "retire v2", "finish aborted"}));
  EXPECT_EQ(h.rollout().snapshot().result, "aborted");
}

TEST(CanaryStrategy, ManualPromoteSkipsTheWaitAndAnalysisOfTheStep) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  h.ok();
  h.ok();
  const auto wait = h.last();
  h.manual(ManualCommand::promote);
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "weights v1=50,v2=50");
  h.now() = std::get<WaitUntil>(wait.body).time_ms;
  const auto from = h.log().size();
  h.feed(Tick{});  // the old wait is not pending any more
  EXPECT_EQ(h.log().size(), from);
  to_analyze(h);
  h.manual(ManualCommand::promote);  // skips step 2's analysis (the late verdict is stale)
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "weights v1=0,v2=100");
  to_analyze(h);
  h.manual(ManualCommand::promote);  // at 100: finish
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "hooks post_deploy");
  h.run_to_end();
  EXPECT_EQ(h.rollout().snapshot().result, "succeeded");
}

TEST(CanaryStrategy, PromoteOutsideAStepDoesNothing) {
  RolloutHarness h(base_spec("canary"));
  h.start();
  h.ok();  // deploy pending
  EXPECT_TRUE(h.manual(ManualCommand::promote).empty());
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "deploy v2 2");
}

TEST(CanaryStrategy, PauseHoldsTheNextStepButKeepsAnalysing) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  h.manual(ManualCommand::pause);
  to_analyze(h);  // the wait and the analysis of the current step still run
  EXPECT_TRUE(h.ok().empty()) << "pass, but paused: no next step";
  auto snapshot = h.rollout().snapshot();
  EXPECT_TRUE(snapshot.paused);
  EXPECT_TRUE(snapshot.held);
  EXPECT_EQ(snapshot.pending_action_id, 0u);
  EXPECT_EQ(snapshot.figures.at("analysis").at("verdict"), "pass") << "the analysis was recorded";
  h.now() += 600'000;
  EXPECT_TRUE(h.feed(Tick{}).empty());
  h.manual(ManualCommand::resume);
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "weights v1=50,v2=50");
  EXPECT_FALSE(h.rollout().snapshot().paused);
}

TEST(CanaryStrategy, AFailingAnalysisRollsBackEvenWhenPaused) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  h.manual(ManualCommand::pause);
  to_analyze(h);
  h.verdict(VerdictKind::fail, "bad");
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "weights v1=100,v2=0");
}

TEST(CanaryStrategy, GuardTripRollsBackWithBaselineWeightsAsTheFirstAction) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  h.ok();  // weights applied, hook pending
  const auto actions = h.feed(GuardTripped{"route shop: v2 error rate"});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(testing::RolloutHarness::short_name(actions[0]), "weights v1=100,v2=0");
  h.run_to_end();
  EXPECT_EQ(h.finish()->result, RolloutResult::failed);
  EXPECT_NE(h.finish()->reason.find("guard tripped"), std::string::npos);
}

TEST(CanaryStrategy, ActionFailureRollsBackWhatWasDone) {
  struct Case {
    int successes;  // answered ok before the failure
    Trace rollback;
  };
  const Case cases[] = {
      {0, {"finish failed"}},                                       // pre-deploy hook fails: nothing to undo
      {1, {"retire v2", "finish failed"}},                          // deploy fails
      {2, {"split v1=100", "retire v2", "finish failed"}},          // registration fails
      {3, {"weights v1=100,v2=0", "split v1=100", "retire v2", "finish failed"}},  // weights fail
      {4, {"weights v1=100,v2=0", "split v1=100", "retire v2", "finish failed"}},  // per-step hook fails
  };
  for (const auto& c : cases) {
    RolloutHarness h(base_spec("canary"));
    h.start();
    for (int i = 0; i < c.successes; ++i) h.ok();
    const auto from = h.log().size();
    h.fail("boom");
    h.run_to_end();
    EXPECT_EQ(h.trace(from), c.rollback) << "after " << c.successes << " successes";
    EXPECT_NE(h.finish()->reason.find("failed: boom"), std::string::npos) << h.finish()->reason;
  }
}

TEST(CanaryStrategy, AFailingRollbackStepIsRecordedAndTheRestStillRuns) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  h.feed(GuardTripped{"trip"});
  const auto from = h.log().size();
  h.fail("proxy 127.0.0.1:9901 refused");  // the rollback's SetWeights fails
  h.run_to_end();
  EXPECT_EQ(h.trace(from), (Trace{"split v1=100", "retire v2", "finish failed"}));
  EXPECT_NE(h.finish()->reason.find("rollback step 1 failed: proxy 127.0.0.1:9901 refused"), std::string::npos);
}

TEST(CanaryStrategy, NoInstanceHealthyFailsBeforeAnyTraffic) {
  RolloutHarness h(base_spec("canary"));
  h.start();
  h.ok();
  h.feed(InstancesHealthy{h.last().id, "v2", 0});
  h.run_to_end();
  EXPECT_EQ(h.trace(2), (Trace{"retire v2", "finish failed"}));
}

TEST(CanaryStrategy, WeightIsScaledDownToHealthyCapacityAndTheStepHeldUntilItRecovers) {
  RolloutHarness h(base_spec("canary"));  // 2 instances wanted
  h.start();
  h.ok();
  h.feed(InstancesHealthy{h.last().id, "v2", 1});
  h.ok();  // register
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "weights v1=95,v2=5") << "half the instances: half the share";
  to_analyze(h);
  h.ok();  // pass, but the step ran below its weight: held
  EXPECT_TRUE(std::holds_alternative<WaitUntil>(h.last().body));
  EXPECT_EQ(h.rollout().snapshot().inconclusive_count, 1u);
  h.feed(InstancesHealthy{0, "v2", 2});  // the second instance comes up
  h.ok();
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "weights v1=90,v2=10") << "re-applied at full weight";
  to_analyze(h);
  h.ok();
  EXPECT_EQ(testing::RolloutHarness::short_name(h.last()), "weights v1=50,v2=50");
}

TEST(CanaryStrategy, LosingInstancesMidStepCutsTheShareAtOnce) {
  RolloutHarness h(base_spec("canary"));
  to_first_step(h);
  h.ok();
  to_analyze(h);
  h.ok();  // step 2 (50%)
  h.ok();
  h.ok();  // waiting
  ASSERT_TRUE(std::holds_alternative<WaitUntil>(h.last().body));
  EXPECT_TRUE(h.feed(InstancesHealthy{0, "v1", 1}).empty()) << "the baseline's health is not ours to act on";
  const auto actions = h.feed(InstancesHealthy{0, "v2", 1});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(RolloutHarness::short_name(actions[0]), "weights v1=75,v2=25");
  EXPECT_TRUE(h.feed(InstancesHealthy{0, "v2", 2}).empty()) << "recovery waits for the recheck";
}

TEST(CanaryStrategy, StaleAndUnknownRepliesAreIgnored) {
  RolloutHarness h(base_spec("canary"));
  h.start();
  const auto pending = h.last().id;
  EXPECT_TRUE(h.feed(ActionSucceeded{pending + 7}).empty());
  EXPECT_TRUE(h.feed(ActionFailed{pending + 7, "x"}).empty());
  EXPECT_TRUE(h.feed(ActionSucceeded{0}).empty());
  EXPECT_EQ(h.rollout().snapshot().pending_action_id, pending);
}

}  // namespace
}  // namespace switchyard::controller::rollout
