#include "proxy/stats/stats_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace switchyard::proxy::stats {
namespace {

constexpr auto kNone = UpstreamErrorKind::none;

TEST(StatsRegistry, SamePairKeepsItsSlotAndNewPairsGetNewOnes) {
  StatsRegistry registry(2);
  const auto stable = registry.slot_for("shop", "stable");
  const auto canary = registry.slot_for("shop", "canary");
  EXPECT_NE(stable, canary);
  EXPECT_EQ(registry.slot_for("shop", "stable"), stable);
  EXPECT_NE(registry.slot_for("shopstable", ""), stable);  // the key is not a plain concatenation
  EXPECT_EQ(registry.find_slot("shop", "canary"), canary);
  EXPECT_FALSE(registry.find_slot("shop", "ghost").has_value());
  EXPECT_EQ(registry.slot_name(canary).version, "canary");
  EXPECT_NE(registry.worker(0).shard(stable), nullptr);
  EXPECT_NE(registry.worker(1).shard(stable), nullptr);
}

TEST(StatsRegistry, SlotsRunOutAtCapacityAndUnknownSlotsAreIgnored) {
  StatsRegistry registry(1);
  for (std::uint32_t i = 0; i < kMaxSlots; ++i) ASSERT_EQ(registry.slot_for("r", std::to_string(i)), i);
  EXPECT_EQ(registry.slot_for("r", "one-too-many"), kNoSlot);
  registry.worker(0).record(kNoSlot, 200, kNone, 10, 0);  // must not crash or count
  StatsRegistry empty(1);
  empty.worker(0).record(3, 200, kNone, 10, 0);
  EXPECT_EQ(empty.worker(0).shard(3), nullptr);
}

TEST(StatsRegistry, CountsByCodeClassAndUpstreamErrorKindSumOverWorkers) {
  StatsRegistry registry(3);
  const auto slot = registry.slot_for("shop", "canary");
  for (unsigned w = 0; w < 3; ++w) {
    auto& stats = registry.worker(w);
    stats.record(slot, 200, kNone, 1500, 1000);
    stats.record(slot, 302, kNone, 800, 1000);
    stats.record(slot, 404, kNone, 800, 1000);
    stats.record(slot, 502, UpstreamErrorKind::connect, 900, 1000);
    stats.record(slot, 504, UpstreamErrorKind::timeout, 20000000, 1000);
    stats.record(slot, 0, UpstreamErrorKind::reset, 3000, 1000);  // nothing could be sent: 5xx
    stats.record(slot, 0, kNone, 3000, 1000);                     // client left: no class
  }
  const auto totals = registry.totals(slot);
  EXPECT_EQ(totals.codes, (std::array<std::uint64_t, 4>{3, 3, 3, 9}));
  EXPECT_EQ(totals.upstream_errors, (std::array<std::uint64_t, 3>{3, 3, 3}));
  EXPECT_EQ(totals.duration_count, 21u);
  EXPECT_EQ(totals.duration_sum_us, 3u * (1500 + 800 + 800 + 900 + 20000000 + 3000 + 3000));
  EXPECT_EQ(totals.duration_buckets[0], 9u);   // <= 1 ms: 800, 800, 900
  EXPECT_EQ(totals.duration_buckets[1], 3u);   // <= 2.5 ms: 1500
  EXPECT_EQ(totals.duration_buckets[2], 6u);   // <= 5 ms: 3000 x2
  EXPECT_EQ(totals.duration_buckets[13], 3u);  // +Inf: 20 s

  const auto window = registry.window(slot, 10000, 1000);
  EXPECT_EQ(window.requests, 21u);
  EXPECT_EQ(window.errors, 9u);  // 502, 504, reset
  EXPECT_DOUBLE_EQ(window.error_rate, 9.0 / 21.0);
}

TEST(StatsRegistry, WindowSlidesAndOldRecordsAgeOut) {
  StatsRegistry registry(1);
  const auto slot = registry.slot_for("shop", "canary");
  auto& stats = registry.worker(0);
  for (int i = 0; i < 10; ++i) stats.record(slot, 500, kNone, 1000, 10'000);   // t = 10 s
  for (int i = 0; i < 30; ++i) stats.record(slot, 200, kNone, 50000, 14'000);  // t = 14 s
  auto at = [&](std::int64_t now, std::uint32_t window) { return registry.window(slot, window, now); };
  EXPECT_EQ(at(14'000, 10'000).requests, 40u);
  EXPECT_EQ(at(14'000, 10'000).errors, 10u);
  EXPECT_EQ(at(14'000, 1'000).requests, 30u);      // 10 s is out of a 1 s window
  EXPECT_EQ(at(19'900, 10'000).requests, 40u);
  EXPECT_EQ(at(20'000, 10'000).requests, 30u);     // the 10 s bucket has aged out
  EXPECT_EQ(at(24'250, 10'000).requests, 0u);
  EXPECT_NEAR(at(14'000, 1'000).p99_ms, 50.0, 2.5);
  EXPECT_NEAR(at(14'000, 10'000).p50_ms, 50.0, 2.5);
  // since_ms hides buckets that started before it (a re-armed guard's clean slate).
  EXPECT_EQ(registry.window(slot, 10'000, 14'000, 12'000).requests, 30u);
}

TEST(StatsRegistry, RingReuseResetsStaleBucketsAndReadersIgnoreThem) {
  StatsRegistry registry(1);
  const auto slot = registry.slot_for("shop", "stable");
  auto& stats = registry.worker(0);
  stats.record(slot, 500, kNone, 1000, 0);
  // Exactly one ring later the same bucket is reused for a new epoch.
  const std::int64_t later = static_cast<std::int64_t>(kRingBuckets) * kBucketMs;
  EXPECT_EQ(registry.window(slot, 60000, later).requests, 0u);  // stale: ignored
  stats.record(slot, 200, kNone, 1000, later);
  const auto window = registry.window(slot, 60000, later);
  EXPECT_EQ(window.requests, 1u);
  EXPECT_EQ(window.errors, 0u);
  EXPECT_EQ(registry.totals(slot).codes[3], 1u);  // cumulative counters keep everything
}

TEST(StatsRegistry, WindowIsCappedAtSixtySeconds) {
  StatsRegistry registry(1);
  const auto slot = registry.slot_for("r", "v");
  registry.worker(0).record(slot, 200, kNone, 10, 0);
  EXPECT_EQ(registry.window(slot, 60'000, 59'999).requests, 1u);
  EXPECT_EQ(registry.window(slot, 4'000'000'000u, 61'000).requests, 0u);
}

TEST(StatsRegistry, GuardTripsAreCountedPerRoute) {
  StatsRegistry registry(1);
  registry.record_guard_trip("shop");
  registry.record_guard_trip("shop");
  EXPECT_EQ(registry.guard_trips("shop"), 2u);
  EXPECT_EQ(registry.guard_trips("other"), 0u);
}

// Two writers (one shard each) and one reader at once: run under TSan/ASan to check the
// single-writer protocol. Bounded: each writer records a fixed number of requests.
TEST(StatsRegistry, ConcurrentWritersAndReaderSeeConsistentTotals) {
  StatsRegistry registry(2);
  const auto slot = registry.slot_for("shop", "stable");
  constexpr int kPerWriter = 200000;
  std::atomic<int> finished{0};
  auto writer = [&](unsigned index) {
    auto& stats = registry.worker(index);
    for (int i = 0; i < kPerWriter; ++i) {
      // Time moves across many buckets (and around the ring) while the reader reads.
      stats.record(slot, i % 10 == 0 ? 503 : 200, kNone, 1000 + i % 5000, i / 20);
    }
    finished.fetch_add(1);
  };
  std::thread a(writer, 0), b(writer, 1);
  std::uint64_t last_count = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (finished.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    const auto totals = registry.totals(slot);
    EXPECT_GE(totals.duration_count, last_count);  // counters never go back
    last_count = totals.duration_count;
    const auto window = registry.window(slot, 60000, 5000);
    EXPECT_LE(window.errors, window.requests);
  }
  a.join();
  b.join();
  const auto totals = registry.totals(slot);
  EXPECT_EQ(totals.duration_count, 2u * kPerWriter);
  EXPECT_EQ(totals.codes[0] + totals.codes[3], 2u * kPerWriter);
  EXPECT_EQ(totals.codes[3], 2u * kPerWriter / 10);
  // The writers ended at t = 9999 ms: a 1 s window holds their last 4 buckets exactly.
  const auto window = registry.window(slot, 1000, 9999);
  EXPECT_EQ(window.requests, 2u * 1000 * 20);  // 20 records per ms per writer
}

}  // namespace
}  // namespace switchyard::proxy::stats
