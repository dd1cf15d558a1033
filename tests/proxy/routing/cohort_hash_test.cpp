#include "proxy/routing/cohort_hash.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "proxy/routing/cohort_table.hpp"

namespace switchyard::proxy::routing {
namespace {

// Computed once from an independent implementation. These must never change: every proxy of a
// site, across versions, has to put a client in the same bucket.
TEST(CohortHash, KnownValuesAreStable) {
  EXPECT_EQ(cohort_hash(""), 0xf52a15e9a9b5e89bULL);
  EXPECT_EQ(cohort_hash("a"), 0x02c0bdbf481420f8ULL);
  EXPECT_EQ(cohort_hash("sy_cohort"), 0xfc2290a66158bcf2ULL);
  EXPECT_EQ(cohort_hash("user-42"), 0x7a1596f0e94b5793ULL);
  EXPECT_EQ(cohort_hash("0123456789abcdef"), 0x5ff6c45c9b635362ULL);
}

TEST(CohortHash, KnownBucketsAreStable) {
  EXPECT_EQ(cohort_bucket(""), 9576u);
  EXPECT_EQ(cohort_bucket("a"), 107u);
  EXPECT_EQ(cohort_bucket("sy_cohort"), 9849u);
  EXPECT_EQ(cohort_bucket("user-42"), 4768u);
  EXPECT_EQ(cohort_bucket("0123456789abcdef"), 3748u);
}

TEST(CohortHash, SequentialKeysSpreadEvenlyOverBuckets) {
  // Similar keys ("user-0", "user-1", ...) must not cluster: 100 bins of 100 buckets each.
  constexpr int kKeys = 200000;
  std::vector<int> bins(100, 0);
  for (int i = 0; i < kKeys; ++i) {
    const auto bucket = cohort_bucket(std::string("user-").append(std::to_string(i)));
    ASSERT_LT(bucket, kCohortBuckets);
    ++bins[bucket / 100];
  }
  // Expected 2000 per bin, sigma ~44.5: 6 sigma is a generous but real bound.
  for (const int count : bins) EXPECT_NEAR(count, 2000, 267);
}

TEST(CohortHash, EmbeddedBytesMatter) {
  EXPECT_NE(cohort_hash(std::string_view("a\0b", 3)), cohort_hash(std::string_view("a\0c", 3)));
  EXPECT_NE(cohort_hash("ab"), cohort_hash("ba"));
}

}  // namespace
}  // namespace switchyard::proxy::routing
