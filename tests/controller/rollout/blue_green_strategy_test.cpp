#include <gtest/gtest.h>

#include "tests/controller/rollout/rollout_harness.hpp"

namespace switchyard::controller::rollout {
namespace {

using testing::base_spec;
using testing::RolloutHarness;
using Trace = std::vector<std::string>;

RolloutSpec preview_spec() {
  auto spec = base_spec("blue-green");
  spec.strategy.preview = true;
  return spec;
}

// Answers until the last action's short name is `name`.
void until(RolloutHarness& h, const std::string& name) {
  for (int i = 0; i < 50 && RolloutHarness::short_name(h.last()) != name; ++i) h.ok();
  ASSERT_EQ(RolloutHarness::short_name(h.last()), name);
}

TEST(BlueGreenStrategy, HappyPathWithPreviewSwitchesAtomicallyThenRetiresTheOldColour) {
  RolloutHarness h(preview_spec());
  h.start();
  h.run_to_end();
  const Trace expected{"hooks pre_deploy", "deploy v2 2", "register v2", "preview v2", "wait", "hooks per_step",
                       "weights v1=0,v2=100", "hooks post_deploy", "wait", "split v2=100", "retire v1",
                       "finish succeeded"};
  EXPECT_EQ(h.trace(), expected);
}

TEST(BlueGreenStrategy, WithoutPreviewOrHooksItGoesStraightToTheSwitch) {
  auto spec = base_spec("blue-green");
  spec.hooks = {};
  RolloutHarness h(spec);
  h.start();
  h.run_to_end();
  EXPECT_EQ(h.trace(), (Trace{"deploy v2 2", "register v2", "weights v1=0,v2=100", "wait", "split v2=100",
                              "retire v1", "finish succeeded"}));
}

TEST(BlueGreenStrategy, KeepsTheOldColourForScaleDownDelay) {
  RolloutHarness h(base_spec("blue-green"));
  h.start();
  until(h, "hooks post_deploy");
  h.ok();
  EXPECT_EQ(h.last_as<WaitUntil>().time_ms, h.now() + 60'000);
  EXPECT_EQ(h.rollout().snapshot().weight, 100u);
}

TEST(BlueGreenStrategy, AbortDuringScaleDownDelaySwitchesBackInstantly) {
  RolloutHarness h(base_spec("blue-green"));
  h.start();
  until(h, "wait");
  const auto from = h.log().size();
  h.manual(ManualCommand::abort);
  h.run_to_end();
  EXPECT_EQ(h.trace(from), (Trace{"weights v1=100,v2=0", "split v1=100", "retire v2", "finish aborted"}));
}

TEST(BlueGreenStrategy, GuardTripAfterTheSwitchPutsTheOldColourBackFirst) {
  RolloutHarness h(base_spec("blue-green"));
  h.start();
  until(h, "hooks post_deploy");
  const auto actions = h.feed(GuardTripped{"v2 5xx"});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(RolloutHarness::short_name(actions[0]), "weights v1=100,v2=0");
}

TEST(BlueGreenStrategy, FailedPostDeployHookSwitchesBack) {
  RolloutHarness h(base_spec("blue-green"));
  h.start();
  until(h, "hooks post_deploy");
  const auto from = h.log().size();
  h.fail("smoke test 500");
  h.run_to_end();
  EXPECT_EQ(h.trace(from), (Trace{"weights v1=100,v2=0", "split v1=100", "retire v2", "finish failed"}));
  EXPECT_NE(h.finish()->reason.find("post_hooks failed: smoke test 500"), std::string::npos) << h.finish()->reason;
}

TEST(BlueGreenStrategy, FailedGateNeverSwitches) {
  RolloutHarness h(base_spec("blue-green"));
  h.start();
  until(h, "hooks per_step");
  const auto from = h.log().size();
  h.fail("security scan");
  h.run_to_end();
  EXPECT_EQ(h.trace(from), (Trace{"weights v1=100,v2=0", "split v1=100", "retire v2", "finish failed"}));
  for (const auto& name : h.trace()) EXPECT_NE(name, "weights v1=0,v2=100");
}

TEST(BlueGreenStrategy, ANewColourShortOfInstancesIsNotSwitchedTo) {
  RolloutHarness h(base_spec("blue-green"));
  h.start();
  h.ok();
  h.feed(InstancesHealthy{h.last().id, "v2", 1});
  h.run_to_end();
  EXPECT_EQ(h.trace(2), (Trace{"retire v2", "finish failed"}));
  EXPECT_NE(h.finish()->reason.find("only 1 of 2"), std::string::npos);
}

TEST(BlueGreenStrategy, PromoteEndsThePreviewAndTheScaleDownDelay) {
  RolloutHarness h(preview_spec());
  h.start();
  until(h, "wait");  // preview wait
  h.manual(ManualCommand::promote);
  EXPECT_EQ(RolloutHarness::short_name(h.last()), "hooks per_step");
  until(h, "hooks post_deploy");
  h.ok();
  h.manual(ManualCommand::promote);
  EXPECT_EQ(RolloutHarness::short_name(h.last()), "split v2=100");
}

TEST(BlueGreenStrategy, PauseHoldsTheSwitchUntilResumed) {
  RolloutHarness h(base_spec("blue-green"));
  h.start();
  until(h, "hooks per_step");
  h.manual(ManualCommand::pause);
  EXPECT_TRUE(h.ok().empty());
  EXPECT_TRUE(h.rollout().snapshot().held);
  h.manual(ManualCommand::resume);
  EXPECT_EQ(RolloutHarness::short_name(h.last()), "weights v1=0,v2=100");
}

TEST(BlueGreenStrategy, AbortIsTooLateOnceTheOldColourIsBeingRetired) {
  RolloutHarness h(base_spec("blue-green"));
  h.start();
  until(h, "retire v1");
  EXPECT_TRUE(h.manual(ManualCommand::abort).empty());
  EXPECT_TRUE(h.feed(GuardTripped{"late"}).empty());
  h.fail("pid 1234 would not stop");
  EXPECT_EQ(h.finish()->result, RolloutResult::succeeded) << "v2 serves 100%: the rollout did succeed";
  EXPECT_NE(h.finish()->reason.find("cleanup failed"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::controller::rollout
