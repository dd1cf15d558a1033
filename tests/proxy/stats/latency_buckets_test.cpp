#include "proxy/stats/latency_buckets.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace switchyard::proxy::stats {
namespace {

TEST(LatencyBuckets, EveryValueInRangeIsReportedWithinTheDocumentedError) {
  // Log-uniform values over the whole documented range, plus the range's edges.
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> exponent(std::log(100.0), std::log(122e6));
  std::vector<std::uint64_t> values = {100, 101, 109, 110, 111, 1000, 122000000};
  for (int i = 0; i < 200000; ++i) values.push_back(static_cast<std::uint64_t>(std::exp(exponent(random))));
  double worst = 0;
  for (auto us : values) {
    const double reported_ms = LatencyBuckets::reported_ms(LatencyBuckets::index_of(us));
    const double truth_ms = static_cast<double>(us) / 1000.0;
    worst = std::max(worst, std::abs(reported_ms - truth_ms) / truth_ms);
  }
  EXPECT_LE(worst, LatencyBuckets::kMaxRelativeError + 1e-9);
  EXPECT_LE(LatencyBuckets::kMaxRelativeError, 0.05);
  EXPECT_GT(worst, 0.04);  // the bound is tight, not a loose guess
}

TEST(LatencyBuckets, BucketsAreMonotoneAndCoverZeroToInfinity) {
  EXPECT_EQ(LatencyBuckets::index_of(0), 0u);
  EXPECT_EQ(LatencyBuckets::index_of(99), 0u);
  EXPECT_EQ(LatencyBuckets::index_of(100), 1u);
  EXPECT_EQ(LatencyBuckets::index_of(~0ull), LatencyBuckets::kCount - 1);
  std::size_t previous = 0;
  for (std::uint64_t us = 0; us < 5'000'000; us += 37) {
    const auto index = LatencyBuckets::index_of(us);
    EXPECT_GE(index, previous);
    previous = index;
  }
}

TEST(LatencyBuckets, QuantilesOfManySamplesAreWithinTheBoundOfTheExactOnes) {
  std::mt19937_64 random(11);
  std::lognormal_distribution<double> latency(std::log(20000.0), 0.8);  // ~20 ms median
  std::vector<std::uint64_t> samples;
  std::vector<std::uint64_t> counts(LatencyBuckets::kCount, 0);
  for (int i = 0; i < 50000; ++i) {
    const auto us = static_cast<std::uint64_t>(std::max(100.0, latency(random)));
    samples.push_back(us);
    ++counts[LatencyBuckets::index_of(us)];
  }
  std::sort(samples.begin(), samples.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    const double exact_ms = static_cast<double>(samples[rank - 1]) / 1000.0;
    const double estimate = LatencyBuckets::quantile_ms(counts, q);
    EXPECT_NEAR(estimate, exact_ms, exact_ms * (LatencyBuckets::kMaxRelativeError + 1e-9)) << "q=" << q;
  }
}

TEST(LatencyBuckets, QuantileOfNothingIsZeroAndOfOneSampleIsThatSample) {
  std::vector<std::uint64_t> counts(LatencyBuckets::kCount, 0);
  EXPECT_EQ(LatencyBuckets::quantile_ms(counts, 0.99), 0.0);
  ++counts[LatencyBuckets::index_of(250000)];
  EXPECT_NEAR(LatencyBuckets::quantile_ms(counts, 0.5), 250.0, 250.0 * 0.05);
  EXPECT_NEAR(LatencyBuckets::quantile_ms(counts, 0.99), 250.0, 250.0 * 0.05);
}

}  // namespace
}  // namespace switchyard::proxy::stats
