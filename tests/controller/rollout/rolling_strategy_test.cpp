#include <gtest/gtest.h>

#include "tests/controller/rollout/rollout_harness.hpp"

namespace switchyard::controller::rollout {
namespace {

using testing::base_spec;
using testing::RolloutHarness;
using Trace = std::vector<std::string>;

RolloutSpec rolling_spec(std::uint32_t instances, std::uint32_t surge, std::uint32_t unavailable) {
  auto spec = base_spec("rolling");
  spec.instances = instances;
  spec.strategy.max_surge = surge;
  spec.strategy.max_unavailable = unavailable;
  return spec;
}

TEST(RollingStrategy, ReplacesOneInstanceAtATimeWithSurgeOne) {
  RolloutHarness h(rolling_spec(3, 1, 0));
  h.start();
  h.run_to_end();
  EXPECT_EQ(h.trace(), (Trace{"hooks pre_deploy", "replace v1>v2 1", "replace v1>v2 1", "replace v1>v2 1",
                              "hooks post_deploy", "finish succeeded"}));
  EXPECT_EQ(h.rollout().snapshot().replaced, 3u);
  EXPECT_EQ(h.rollout().snapshot().weight, 100u);
}

TEST(RollingStrategy, BatchIsSurgePlusUnavailable) {
  RolloutHarness h(rolling_spec(5, 1, 1));
  h.start();
  h.run_to_end();
  EXPECT_EQ(h.trace(), (Trace{"hooks pre_deploy", "replace v1>v2 2", "replace v1>v2 2", "replace v1>v2 1",
                              "hooks post_deploy", "finish succeeded"}));
}

TEST(RollingStrategy, ABatchMustBeHealthyBeforeTheNextAndAShortOneRollsBackTheReplacedInstances) {
  RolloutHarness h(rolling_spec(4, 2, 0));
  h.start();
  h.ok();  // pre hook
  h.ok();  // batch 1: 2 healthy
  ASSERT_EQ(RolloutHarness::short_name(h.last()), "replace v1>v2 2");
  const auto from = h.log().size();
  h.feed(InstancesHealthy{h.last().id, "v2", 1});  // batch 2: only 1 of 2
  h.run_to_end();
  EXPECT_EQ(h.trace(from), (Trace{"replace v2>v1 3", "finish failed"}));
  EXPECT_NE(h.finish()->reason.find("only 1 of 2"), std::string::npos);
}

TEST(RollingStrategy, AbortAndGuardTripReplaceBack) {
  for (bool guard : {false, true}) {
    RolloutHarness h(rolling_spec(3, 1, 0));
    h.start();
    h.ok();
    h.ok();  // one replaced, second batch pending
    const auto from = h.log().size();
    if (guard) {
      h.feed(GuardTripped{"v2 5xx"});
    } else {
      h.manual(ManualCommand::abort);
    }
    h.run_to_end();
    EXPECT_EQ(h.trace(from), (Trace{"replace v2>v1 1", guard ? "finish failed" : "finish aborted"}));
  }
}

TEST(RollingStrategy, FailureBeforeAnyReplacementHasNothingToUndo) {
  RolloutHarness h(rolling_spec(3, 1, 0));
  h.start();
  h.ok();
  h.fail("driver: no free port");
  EXPECT_EQ(h.trace(2), Trace{"finish failed"});
}

TEST(RollingStrategy, FailedPostDeployHookReplacesEverythingBack) {
  RolloutHarness h(rolling_spec(2, 1, 0));
  h.start();
  for (int i = 0; i < 3; ++i) h.ok();
  ASSERT_EQ(RolloutHarness::short_name(h.last()), "hooks post_deploy");
  h.fail("smoke");
  h.run_to_end();
  EXPECT_EQ(h.trace(4), (Trace{"replace v2>v1 2", "finish failed"}));
}

TEST(RollingStrategy, PauseHoldsBetweenBatches) {
  RolloutHarness h(rolling_spec(3, 1, 0));
  h.start();
  h.ok();
  h.manual(ManualCommand::pause);
  EXPECT_TRUE(h.ok().empty()) << "the batch in flight completes; the next one waits";
  EXPECT_EQ(h.rollout().snapshot().replaced, 1u);
  h.manual(ManualCommand::resume);
  EXPECT_EQ(RolloutHarness::short_name(h.last()), "replace v1>v2 1");
}

}  // namespace
}  // namespace switchyard::controller::rollout
