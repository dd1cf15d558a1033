#include "proxy/routing/fast_random.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace switchyard::proxy::routing {
namespace {

TEST(FastRandom, IsXoshiro256StarStarSeededBySplitmix64) {
  // Reference values from an independent implementation of both generators.
  FastRandom random(42);
  EXPECT_EQ(random.next(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(random.next(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(random.next(), 0xae17533239e499a1ULL);
}

TEST(FastRandom, SameSeedSameSequenceDifferentSeedDifferent) {
  FastRandom a(7), b(7), c(8);
  bool any_difference = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    EXPECT_EQ(x, b.next());
    any_difference |= x != c.next();
  }
  EXPECT_TRUE(any_difference);
}

TEST(FastRandom, ZeroSeedStillProducesNonZeroOutput) {
  FastRandom random(0);
  bool non_zero = false;
  for (int i = 0; i < 4; ++i) non_zero |= random.next() != 0;
  EXPECT_TRUE(non_zero);
}

TEST(FastRandom, BelowStaysInRangeAndIsUniform) {
  FastRandom random(123);
  constexpr int kDraws = 100000;
  constexpr std::uint32_t kBound = 10;
  std::vector<int> counts(kBound, 0);
  for (int i = 0; i < kDraws; ++i) {
    const auto v = random.below(kBound);
    ASSERT_LT(v, kBound);
    ++counts[v];
  }
  const double expected = double(kDraws) / kBound;
  const double sigma = std::sqrt(kDraws * 0.1 * 0.9);
  for (const int c : counts) EXPECT_LT(std::abs(c - expected), 5 * sigma);
  EXPECT_EQ(random.below(1), 0u);
}

}  // namespace
}  // namespace switchyard::proxy::routing
