#pragma once
// WorkerStats: one worker's shard of the per-(route, version) statistics. Written ONLY by its
// worker thread (record()), read by the control thread (StatsRegistry sums the shards).
//
// Single writer per shard: every counter is a relaxed atomic updated with load + store, never
// fetch_add, so the request path has no locked instruction and readers see no data race (they may
// see a figure one request behind). Each slot's data is its own 64-byte aligned allocation, so no
// two workers ever write the same cache line.
//
// Slots are allocated by the control thread (StatsRegistry::slot_for -> ensure_slot) BEFORE the
// slot number is published in a RouteTable; the pointer array is atomic, so a worker only ever
// dereferences a fully built slot. A slot number that was never allocated is ignored by record().

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "proxy/stats/latency_buckets.hpp"

namespace switchyard::proxy::stats {

enum class UpstreamErrorKind : std::uint8_t { none, connect, timeout, reset };

inline constexpr std::uint32_t kMaxSlots = 1024;       // (route, version) pairs, ever
inline constexpr std::uint32_t kNoSlot = 0xffffffff;   // == routing::kNoStatsSlot
inline constexpr std::int64_t kBucketMs = 250;         // sliding-window time bucket
inline constexpr std::size_t kRingBuckets = 256;       // power of two; > kMaxWindowBuckets
inline constexpr std::size_t kMaxWindowBuckets = 240;  // 60 s: the longest window summed
inline constexpr std::int64_t kEmptyEpoch = std::numeric_limits<std::int64_t>::min();

// Upper bounds (microseconds) of switchyard_request_duration_seconds' finite buckets.
inline constexpr std::array<std::uint64_t, 13> kDurationBoundsUs = {
    1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};
inline constexpr std::size_t kDurationBuckets = kDurationBoundsUs.size() + 1;  // + (10 s, +Inf)

inline constexpr std::size_t kCodeClasses = 4;    // 2xx 3xx 4xx 5xx
inline constexpr std::size_t kUpstreamKinds = 3;  // connect timeout reset

// One 250 ms bucket of the sliding window. `epoch` = now_ms / kBucketMs of the time it counts;
// kEmptyEpoch while unused or being reset (a seqlock: readers re-check it after reading).
struct alignas(64) WindowBucket {
  std::atomic<std::int64_t> epoch{kEmptyEpoch};
  std::atomic<std::uint32_t> requests{0};
  std::atomic<std::uint32_t> errors{0};  // 5xx answers + upstream failures
  std::array<std::atomic<std::uint32_t>, LatencyBuckets::kCount> latency{};
};

// Everything one worker knows about one (route, version).
struct alignas(64) SlotShard {
  std::array<std::atomic<std::uint64_t>, kCodeClasses> codes{};
  std::array<std::atomic<std::uint64_t>, kUpstreamKinds> upstream_errors{};
  std::array<std::atomic<std::uint64_t>, kDurationBuckets> duration_buckets{};  // not cumulative
  std::atomic<std::uint64_t> duration_sum_us{0};
  std::atomic<std::uint64_t> duration_count{0};
  std::array<WindowBucket, kRingBuckets> window{};
};

class alignas(64) WorkerStats {
 public:
  WorkerStats() = default;
  ~WorkerStats();
  WorkerStats(const WorkerStats&) = delete;
  WorkerStats& operator=(const WorkerStats&) = delete;

  // Worker thread only. status = HTTP status sent to the client; 0 if none could be sent (then it
  // counts as 5xx when error != none, and in no code class otherwise). 1xx counts in no class.
  // now_ms must come from steady_now_ms() (the clock the control thread sums windows with).
  void record(std::uint32_t slot, unsigned status, UpstreamErrorKind error, std::uint64_t duration_us,
              std::int64_t now_ms);

  // Control thread: allocates `slot` if it is not yet (before its number is handed out).
  void ensure_slot(std::uint32_t slot);
  // Control thread (any reader): the slot's data, or null when never allocated.
  const SlotShard* shard(std::uint32_t slot) const;

 private:
  std::array<std::atomic<SlotShard*>, kMaxSlots> slots_{};
};

// Milliseconds of std::chrono::steady_clock: the one clock of record() and window summaries.
std::int64_t steady_now_ms();
// The window bucket (epoch) that time `now_ms` falls in: floor(now_ms / kBucketMs).
std::int64_t window_epoch(std::int64_t now_ms);

}  // namespace switchyard::proxy::stats
