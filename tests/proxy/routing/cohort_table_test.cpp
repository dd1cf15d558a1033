#include "proxy/routing/cohort_table.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace switchyard::proxy::routing {
namespace {

std::vector<std::string> names_for(std::size_t n) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) {
    std::string name = std::to_string(i);  // not "v" + ...: GCC 12 -O3 -Wrestrict false positive
    name.insert(name.begin(), 'v');
    names.push_back(std::move(name));
  }
  return names;
}

std::vector<std::uint32_t> counts_of(const CohortTable& table, std::size_t n) {
  std::vector<std::uint32_t> counts(n, 0);
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) ++counts.at(table.version_at(b));
  return counts;
}

std::set<std::uint32_t> buckets_of(const CohortTable& table, std::uint16_t version) {
  std::set<std::uint32_t> out;
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
    if (table.version_at(b) == version) out.insert(b);
  }
  return out;
}

void expect_counts(const std::vector<std::uint32_t>& weights,
                   const std::vector<std::uint32_t>& expected) {
  const auto table = CohortTable::build(names_for(weights.size()), weights, nullptr);
  EXPECT_EQ(counts_of(table, weights.size()), expected);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    EXPECT_EQ(table.bucket_count(static_cast<std::uint16_t>(i)), expected[i]);
  }
}

TEST(CohortTable, SharesAreExactByLargestRemainder) {
  expect_counts({95, 5}, {9500, 500});
  expect_counts({1, 1, 1}, {3334, 3333, 3333});  // tie goes to the first in split order
  expect_counts({0, 100}, {0, 10000});
  expect_counts({7, 0, 3}, {7000, 0, 3000});
  expect_counts({1, 2}, {3333, 6667});            // remainders 1/3 and 2/3
  expect_counts({1, 1, 1, 1, 1, 1, 1}, {1429, 1429, 1429, 1429, 1428, 1428, 1428});
  expect_counts({4000000000u, 4000000000u, 1}, {5000, 5000, 0});
}

TEST(CohortTable, FreshLayoutIsContiguousInSplitOrder) {
  const auto table = CohortTable::build(names_for(3), {50, 30, 20}, nullptr);
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
    const std::uint16_t expected = b < 5000 ? 0 : (b < 8000 ? 1 : 2);
    ASSERT_EQ(table.version_at(b), expected) << "bucket " << b;
  }
  EXPECT_EQ(table.version_names(), names_for(3));
}

TEST(CohortTable, TwoVersionIncrementalEqualsFreshLayout) {
  const auto names = std::vector<std::string>{"stable", "canary"};
  const std::vector<std::uint32_t> steps[] = {{95, 5},  {90, 10}, {75, 25}, {50, 50}, {0, 100},
                                              {100, 0}, {60, 40}, {99, 1},  {30, 70}, {95, 5}};
  CohortTable current = CohortTable::build(names, steps[0], nullptr);
  for (const auto& weights : steps) {
    CohortTable next = CohortTable::build(names, weights, &current);
    const CohortTable fresh = CohortTable::build(names, weights, nullptr);
    for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
      ASSERT_EQ(next.version_at(b), fresh.version_at(b))
          << "bucket " << b << " weights " << weights[0] << "/" << weights[1];
    }
    current = std::move(next);
  }
}

TEST(CohortTable, MatchesVersionsByNameNotPosition) {
  const auto before = CohortTable::build({"a", "b"}, {80, 20}, nullptr);
  const auto after = CohortTable::build({"b", "a"}, {20, 80}, &before);
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
    ASSERT_EQ(before.version_names()[before.version_at(b)],
              after.version_names()[after.version_at(b)]);
  }
}

TEST(CohortTable, RemovedVersionReleasesItsBucketsToTheOthers) {
  const auto before = CohortTable::build({"a", "b", "c"}, {50, 25, 25}, nullptr);
  const auto after = CohortTable::build({"a", "c"}, {50, 50}, &before);
  EXPECT_EQ(counts_of(after, 2), (std::vector<std::uint32_t>{5000, 5000}));
  EXPECT_EQ(buckets_of(after, 0), buckets_of(before, 0));  // a unchanged
  for (const auto b : buckets_of(before, 2)) EXPECT_EQ(after.version_at(b), 1u);  // c kept all
}

TEST(CohortTable, AddedVersionTakesOnlyFromShrinkingVersions) {
  const auto before = CohortTable::build({"a", "b"}, {50, 50}, nullptr);
  const auto after = CohortTable::build({"a", "b", "new"}, {50, 40, 10}, &before);
  EXPECT_EQ(counts_of(after, 3), (std::vector<std::uint32_t>{5000, 4000, 1000}));
  EXPECT_EQ(buckets_of(after, 0), buckets_of(before, 0));
  for (const auto b : buckets_of(after, 2)) EXPECT_EQ(before.version_at(b), 1u);
}

TEST(CohortTable, NoVersionInCommonBuildsFresh) {
  const auto before = CohortTable::build({"x", "y"}, {10, 90}, nullptr);
  const auto after = CohortTable::build({"a", "b"}, {30, 70}, &before);
  const auto fresh = CohortTable::build({"a", "b"}, {30, 70}, nullptr);
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
    ASSERT_EQ(after.version_at(b), fresh.version_at(b));
  }
}

// Property: across random weight changes, a bucket changes hands only from a version whose count
// shrinks to one whose count grows. So a growing version keeps every bucket it had, and a version
// whose count is unchanged keeps exactly the same buckets.
void check_monotone_walk(std::size_t versions, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::uint32_t> weight(0, 100);
  const auto names = names_for(versions);
  auto random_weights = [&] {
    std::vector<std::uint32_t> w(versions);
    do {
      for (auto& x : w) x = rng() % 4 == 0 ? 0 : weight(rng);
    } while (std::accumulate(w.begin(), w.end(), 0u) == 0);
    return w;
  };
  CohortTable current = CohortTable::build(names, random_weights(), nullptr);
  int moved_total = 0;
  for (int step = 0; step < 500; ++step) {
    CohortTable next = CohortTable::build(names, random_weights(), &current);
    ASSERT_EQ(counts_of(next, versions)[0], next.bucket_count(0));
    for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
      const std::uint16_t from = current.version_at(b);
      const std::uint16_t to = next.version_at(b);
      if (from == to) continue;
      ++moved_total;
      ASSERT_LT(next.bucket_count(from), current.bucket_count(from))
          << "bucket " << b << " left a version that did not shrink, step " << step;
      ASSERT_GT(next.bucket_count(to), current.bucket_count(to))
          << "bucket " << b << " joined a version that did not grow, step " << step;
    }
    current = std::move(next);
  }
  EXPECT_GT(moved_total, 0);  // the walk really changed the layout
}

TEST(CohortTable, MonotoneUnderRandomWeightChangesTwoVersions) { check_monotone_walk(2, 1); }
TEST(CohortTable, MonotoneUnderRandomWeightChangesThreeVersions) { check_monotone_walk(3, 2); }
TEST(CohortTable, MonotoneUnderRandomWeightChangesFourVersions) { check_monotone_walk(4, 3); }

TEST(CohortTable, RaisingOneVersionNeverMovesItsClients) {
  const auto names = names_for(3);
  CohortTable current = CohortTable::build(names, {80, 15, 5}, nullptr);
  const std::vector<std::uint32_t> steps[] = {{70, 20, 10}, {50, 25, 25}, {10, 40, 50}, {0, 0, 1}};
  for (const auto& weights : steps) {
    CohortTable next = CohortTable::build(names, weights, &current);
    for (const auto b : buckets_of(current, 2)) ASSERT_EQ(next.version_at(b), 2u);
    current = std::move(next);
  }
  EXPECT_EQ(current.bucket_count(2), kCohortBuckets);
}

}  // namespace
}  // namespace switchyard::proxy::routing
