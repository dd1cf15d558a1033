// pre_traffic and on_rollback hooks in every strategy's phase sequence (docs/hooks.md).
#include <gtest/gtest.h>

#include "tests/controller/rollout/rollout_harness.hpp"

namespace switchyard::controller::rollout {
namespace {

using testing::base_spec;
using testing::RolloutHarness;
using Trace = std::vector<std::string>;

RolloutSpec with_new_hooks(std::string kind) {
  auto spec = base_spec(std::move(kind));
  spec.hooks.pre_deploy.clear();
  spec.hooks.per_step.clear();
  spec.hooks.post_deploy.clear();
  config::HookConfig hook;
  hook.run = "./smoke.sh";
  spec.hooks.pre_traffic = {hook};
  spec.hooks.on_rollback = {hook};
  return spec;
}

// Answers ok() until the last action is `name`; false if the rollout ended first.
bool until(RolloutHarness& h, const std::string& name) {
  for (int i = 0; i < 50 && !h.rollout().finished(); ++i) {
    if (RolloutHarness::short_name(h.last()) == name) return true;
    h.ok();
  }
  return false;
}

TEST(TrafficHooks, CanaryRunsThemAtWeightZeroAndAFailureRollsBackWithoutWeights) {
  RolloutHarness h(with_new_hooks("canary"));
  h.start();
  ASSERT_TRUE(until(h, "hooks pre_traffic"));
  EXPECT_EQ(h.trace(), (Trace{"deploy v2 2", "register v2", "hooks pre_traffic"}));
  EXPECT_EQ(h.rollout().snapshot().weight, 0u);
  h.fail("smoke test failed");
  h.run_to_end();
  EXPECT_EQ(h.trace(3), (Trace{"split v1=100", "retire v2", "hooks on_rollback", "finish failed"}));
  EXPECT_NE(h.finish()->reason.find("smoke test failed"), std::string::npos);
}

TEST(TrafficHooks, CanaryPassesOnToTheFirstStep) {
  RolloutHarness h(with_new_hooks("canary"));
  h.start();
  ASSERT_TRUE(until(h, "hooks pre_traffic"));
  h.ok();
  EXPECT_EQ(RolloutHarness::short_name(h.last()), "weights v1=90,v2=10");
  h.run_to_end();
  EXPECT_EQ(h.finish()->result, RolloutResult::succeeded);
}

TEST(TrafficHooks, BlueGreenRunsThemBeforeTheSwitch) {
  RolloutHarness h(with_new_hooks("blue-green"));
  h.run_to_end();
  const auto trace = h.trace();
  ASSERT_GE(trace.size(), 4u);
  EXPECT_EQ(trace[2], "hooks pre_traffic");
  EXPECT_EQ(trace[3], "weights v1=0,v2=100");
}

TEST(TrafficHooks, RecreateRunsThemBeforeTheSplitMoves) {
  RolloutHarness h(with_new_hooks("recreate"));
  h.run_to_end();
  EXPECT_EQ(h.trace(), (Trace{"retire v1", "deploy v2 2", "register v2", "hooks pre_traffic", "split v2=100",
                              "finish succeeded"}));
}

TEST(RollbackHooks, RunLastAfterTheBaselineIsBackAndTheirFailureChangesNothing) {
  RolloutHarness h(with_new_hooks("canary"));
  h.start();
  ASSERT_TRUE(until(h, "wait"));
  h.manual(ManualCommand::abort);
  ASSERT_TRUE(until(h, "hooks on_rollback"));
  h.fail("pager down");
  ASSERT_TRUE(h.rollout().finished());
  EXPECT_EQ(h.finish()->result, RolloutResult::aborted);
}

}  // namespace
}  // namespace switchyard::controller::rollout
