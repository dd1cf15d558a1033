#pragma once
// StatsRegistry: owns every worker's statistics shard and the numbering of (route, version)
// slots, and sums the shards for readers (window summaries for the guard and /stats, cumulative
// totals for /metrics), plus the guard trips counted by the control thread.
//
// Thread: control thread for everything except worker(i).record(), which worker i calls from its
// own thread. Lives as long as the process (workers hold references to their WorkerStats).

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/stats/worker_stats.hpp"

namespace switchyard::proxy::stats {

struct SlotName {
  std::string route;
  std::string version;
};

// Since-start counters of one slot, summed over the workers.
struct CumulativeTotals {
  std::array<std::uint64_t, kCodeClasses> codes{};             // 2xx 3xx 4xx 5xx
  std::array<std::uint64_t, kUpstreamKinds> upstream_errors{};  // connect timeout reset
  std::array<std::uint64_t, kDurationBuckets> duration_buckets{};  // per bucket, not cumulative
  std::uint64_t duration_sum_us = 0;
  std::uint64_t duration_count = 0;
};

// One slot over a sliding window, summed over the workers.
struct WindowSummary {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;   // 5xx answers + upstream failures
  double error_rate = 0.0;    // errors / requests; 0 when no requests
  double p50_ms = 0.0;        // latency quantiles, within LatencyBuckets::kMaxRelativeError
  double p90_ms = 0.0;
  double p99_ms = 0.0;
};

class StatsRegistry {
 public:
  explicit StatsRegistry(unsigned workers);
  StatsRegistry(const StatsRegistry&) = delete;
  StatsRegistry& operator=(const StatsRegistry&) = delete;

  // The slot of (route, version): the same pair gets the same slot forever. Allocates the slot in
  // every worker's shard before returning. kNoSlot once kMaxSlots pairs exist (counted nowhere).
  std::uint32_t slot_for(std::string_view route, std::string_view version);
  // The slot of (route, version) if it has one; allocates nothing.
  std::optional<std::uint32_t> find_slot(std::string_view route, std::string_view version) const;

  WorkerStats& worker(unsigned index) { return *workers_.at(index); }
  unsigned worker_count() const { return static_cast<unsigned>(workers_.size()); }
  std::uint32_t slot_count() const { return static_cast<std::uint32_t>(names_.size()); }
  const SlotName& slot_name(std::uint32_t slot) const { return names_.at(slot); }

  CumulativeTotals totals(std::uint32_t slot) const;
  // The window of up to `window_ms` (rounded up to whole 250 ms buckets, at most 60 s) ending in
  // the bucket of `now_ms`. Buckets that start before `since_ms` are left out (a re-armed guard
  // must not judge what happened before).
  WindowSummary window(std::uint32_t slot, std::uint32_t window_ms, std::int64_t now_ms,
                       std::int64_t since_ms = std::numeric_limits<std::int64_t>::min()) const;

  // switchyard_guard_trips_total{route}: bumped by the guard ticker.
  void record_guard_trip(std::string_view route);
  std::uint64_t guard_trips(std::string_view route) const;

 private:
  std::vector<std::unique_ptr<WorkerStats>> workers_;
  std::vector<SlotName> names_;
  std::map<std::string, std::uint32_t, std::less<>> slots_;  // route + '\0' + version -> slot
  std::map<std::string, std::uint64_t, std::less<>> guard_trips_;
};

}  // namespace switchyard::proxy::stats
