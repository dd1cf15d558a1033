#include <gtest/gtest.h>

#include "tests/controller/rollout/rollout_harness.hpp"

namespace switchyard::controller::rollout {
namespace {

using testing::base_spec;
using testing::RolloutHarness;
using Trace = std::vector<std::string>;

TEST(RecreateStrategy, StopsTheOldThenStartsTheNewAndRecordsTheDowntime) {
  RolloutHarness h(base_spec("recreate"));
  h.start();
  h.ok();  // pre hook
  ASSERT_EQ(RolloutHarness::short_name(h.last()), "retire v1");
  const auto retired_at = h.now();
  h.now() += 200;
  h.ok();  // retired
  h.now() += 1300;
  h.ok();  // deployed and healthy: 1500 ms after the retire started
  h.now() += 100;
  h.ok();  // registered
  h.ok();  // split
  h.run_to_end();
  EXPECT_EQ(h.trace(), (Trace{"hooks pre_deploy", "retire v1", "deploy v2 2", "register v2", "split v2=100",
                              "hooks post_deploy", "finish succeeded"}));
  const auto& figures = h.finish()->figures;
  EXPECT_EQ(figures.at("to_healthy_ms").as_int64(), 1500);
  EXPECT_EQ(figures.at("downtime_ms").as_int64(), h.now() - retired_at);
  EXPECT_EQ(figures.at("downtime_ms").as_int64(), 1600);
}

TEST(RecreateStrategy, AFailedDeployBringsTheBaselineBack) {
  RolloutHarness h(base_spec("recreate"));
  h.start();
  h.ok();
  h.ok();
  ASSERT_EQ(RolloutHarness::short_name(h.last()), "deploy v2 2");
  h.fail("exit status 1");
  h.run_to_end();
  EXPECT_EQ(h.trace(3), (Trace{"retire v2", "deploy v1 2", "register v1", "split v1=100", "finish failed"}));
}

TEST(RecreateStrategy, GuardTripAfterTheSwitchBringsTheBaselineBack) {
  RolloutHarness h(base_spec("recreate"));
  h.start();
  for (int i = 0; i < 5; ++i) h.ok();
  ASSERT_EQ(RolloutHarness::short_name(h.last()), "hooks post_deploy");
  h.feed(GuardTripped{"v2 5xx"});
  h.run_to_end();
  EXPECT_EQ(h.trace(6), (Trace{"retire v2", "deploy v1 2", "register v1", "split v1=100", "finish failed"}));
}

TEST(RecreateStrategy, AFailedPreDeployHookTouchesNothing) {
  RolloutHarness h(base_spec("recreate"));
  h.start();
  h.fail("migration failed");
  EXPECT_EQ(h.trace(), (Trace{"hooks pre_deploy", "finish failed"}));
}

TEST(RecreateStrategy, AbortWhileTheOldIsStoppingRedeploysIt) {
  RolloutHarness h(base_spec("recreate"));
  h.start();
  h.ok();
  h.manual(ManualCommand::abort);
  h.run_to_end();
  EXPECT_EQ(h.trace(2), (Trace{"deploy v1 2", "register v1", "split v1=100", "finish aborted"}));
}

}  // namespace
}  // namespace switchyard::controller::rollout
