#include "proxy/guard/guard_evaluator.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace switchyard::proxy::guard {
namespace {

config::GuardConfig guard_config(std::uint32_t min_requests = 20, double max_error_rate = 0.05,
                                 std::uint32_t max_p99_ms = 0) {
  config::GuardConfig guard;
  guard.revert_to = "stable";
  guard.min_requests = min_requests;
  guard.max_error_rate = max_error_rate;
  guard.max_p99_ms = max_p99_ms;
  return guard;
}

stats::WindowSummary window(std::uint64_t requests, std::uint64_t errors, double p99_ms = 10.0) {
  stats::WindowSummary summary;
  summary.requests = requests;
  summary.errors = errors;
  summary.error_rate = requests == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(requests);
  summary.p50_ms = summary.p90_ms = 1.0;
  summary.p99_ms = p99_ms;
  return summary;
}

bool trips(const GuardEvaluator& evaluator, std::uint64_t requests, std::uint64_t errors, double p99 = 10.0) {
  const std::vector<VersionWindow> versions = {{"stable", window(1000, 0)}, {"canary", window(requests, errors, p99)}};
  return evaluator.evaluate(versions).trip();
}

TEST(WilsonLowerBound, MatchesHandComputedValues) {
  EXPECT_NEAR(wilson_lower_bound(10, 20, 3.0), 0.2215, 1e-4);  // docs/guard.md
  EXPECT_NEAR(wilson_lower_bound(4, 20, 3.0), 0.0516, 1e-4);   // the smallest tripping count at n=20
  EXPECT_NEAR(wilson_lower_bound(3, 20, 3.0), 0.0320, 1e-4);
  EXPECT_EQ(wilson_lower_bound(0, 100, 3.0), 0.0);
  EXPECT_EQ(wilson_lower_bound(0, 0, 3.0), 0.0);
  EXPECT_LT(wilson_lower_bound(50, 1000, 3.0), 0.05);           // 5% observed is never "above 5%"
}

// Evaluated after every single request (stricter than the ticker, which sees a request batch per
// tick): the sequential false-trip probability per trial is 4.8e-5 (docs/guard.md).
TEST(GuardEvaluator, OnePercentErrorsUnderFivePercentNeverTripOverManyRequests) {
  const GuardEvaluator evaluator(guard_config(), "stable");
  for (unsigned seed = 1; seed <= 100; ++seed) {
    std::mt19937_64 random(seed);
    std::bernoulli_distribution fails(0.01);
    std::uint64_t errors = 0;
    for (std::uint64_t n = 1; n <= 5000; ++n) {
      errors += fails(random) ? 1 : 0;
      ASSERT_FALSE(trips(evaluator, n, errors)) << "seed " << seed << " at " << errors << "/" << n;
    }
  }
}

TEST(GuardEvaluator, FiftyPercentErrorsTripAsSoonAsMinRequestsAreIn) {
  const GuardEvaluator evaluator(guard_config(), "stable");
  EXPECT_FALSE(trips(evaluator, 19, 10));  // bad, but not enough requests yet
  EXPECT_TRUE(trips(evaluator, 20, 10));
  // Random 50% canaries: P(trip at exactly 20) = 99.87%; all trip within a handful more.
  int at_twenty = 0;
  for (unsigned seed = 1; seed <= 100; ++seed) {
    std::mt19937_64 random(seed);
    std::bernoulli_distribution fails(0.5);
    std::uint64_t errors = 0, n = 0;
    bool tripped = false;
    while (!tripped && n < 40) {
      errors += fails(random) ? 1 : 0;
      tripped = trips(evaluator, ++n, errors);
    }
    EXPECT_TRUE(tripped) << "seed " << seed;
    at_twenty += n == 20 ? 1 : 0;
  }
  EXPECT_GE(at_twenty, 95);
}

TEST(GuardEvaluator, MinRequestsIsRespectedForBothRules) {
  const GuardEvaluator evaluator(guard_config(100, 0.05, 50), "stable");
  EXPECT_FALSE(trips(evaluator, 99, 99, 5000.0));
  EXPECT_TRUE(trips(evaluator, 100, 99));
  EXPECT_TRUE(trips(evaluator, 100, 0, 5000.0));
}

TEST(GuardEvaluator, P99RuleTripsAboveTheLimitOnlyAndIsOffAtZero) {
  const GuardEvaluator evaluator(guard_config(20, 0.05, 300), "stable");
  EXPECT_FALSE(trips(evaluator, 100, 0, 300.0));
  const std::vector<VersionWindow> slow = {{"canary", window(100, 0, 301.0)}};
  const auto verdict = evaluator.evaluate(slow);
  ASSERT_TRUE(verdict.trip());
  EXPECT_EQ(verdict.breaches[0].rule, GuardRule::p99);
  EXPECT_EQ(verdict.breaches[0].version, "canary");
  EXPECT_DOUBLE_EQ(verdict.breaches[0].p99_ms, 301.0);
  const GuardEvaluator off(guard_config(20, 0.05, 0), "stable");
  EXPECT_FALSE(trips(off, 100, 0, 60000.0));
}

TEST(GuardEvaluator, RevertTargetIsNeverJudged) {
  const GuardEvaluator evaluator(guard_config(), "");
  const std::vector<VersionWindow> versions = {{"stable", window(1000, 1000, 9999.0)}, {"canary", window(1000, 0)}};
  EXPECT_FALSE(evaluator.evaluate(versions).trip());
  // An empty revert_to falls back to the name the caller resolved (the first version).
  auto guard = guard_config();
  guard.revert_to.clear();
  const GuardEvaluator fallback(guard, "canary");
  const auto verdict = fallback.evaluate(versions);
  ASSERT_EQ(verdict.breaches.size(), 1u);
  EXPECT_EQ(verdict.breaches[0].version, "stable");
  EXPECT_EQ(verdict.breaches[0].rule, GuardRule::error_rate);
  EXPECT_EQ(verdict.breaches[0].errors, 1000u);
}

TEST(GuardEvaluator, EveryBreakingVersionIsNamed) {
  const GuardEvaluator evaluator(guard_config(), "stable");
  const std::vector<VersionWindow> versions = {
      {"stable", window(100, 0)}, {"a", window(100, 60)}, {"b", window(100, 1)}, {"c", window(50, 50)}};
  const auto verdict = evaluator.evaluate(versions);
  ASSERT_EQ(verdict.breaches.size(), 2u);
  EXPECT_EQ(verdict.breaches[0].version, "a");
  EXPECT_EQ(verdict.breaches[1].version, "c");
  EXPECT_GT(verdict.breaches[0].error_rate_bound, 0.05);
}

}  // namespace
}  // namespace switchyard::proxy::guard
