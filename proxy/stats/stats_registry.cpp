#include "proxy/stats/stats_registry.hpp"

#include <algorithm>

namespace switchyard::proxy::stats {
namespace {

std::string slot_key(std::string_view route, std::string_view version) {
  std::string key;
  key.reserve(route.size() + version.size() + 1);
  key.append(route).push_back('\0');
  key.append(version);
  return key;
}

std::uint64_t read(const std::atomic<std::uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

// Adds one window bucket to the sums if it holds `epoch` and was not reset while being read.
void add_bucket(const WindowBucket& bucket, std::int64_t epoch, std::uint64_t& requests,
                std::uint64_t& errors, std::array<std::uint64_t, LatencyBuckets::kCount>& latency) {
  if (bucket.epoch.load(std::memory_order_acquire) != epoch) return;  // stale or empty
  const std::uint64_t seen_requests = bucket.requests.load(std::memory_order_relaxed);
  if (seen_requests == 0) return;
  const std::uint64_t seen_errors = bucket.errors.load(std::memory_order_relaxed);
  std::array<std::uint32_t, LatencyBuckets::kCount> seen{};
  for (std::size_t i = 0; i < seen.size(); ++i) seen[i] = bucket.latency[i].load(std::memory_order_relaxed);
  // Seqlock re-check: a reset that overlapped the reads changed the epoch; drop what was read.
  std::atomic_thread_fence(std::memory_order_acquire);
  if (bucket.epoch.load(std::memory_order_relaxed) != epoch) return;
  requests += seen_requests;
  errors += seen_errors;
  for (std::size_t i = 0; i < seen.size(); ++i) latency[i] += seen[i];
}

}  // namespace

StatsRegistry::StatsRegistry(unsigned workers) {
  workers_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) workers_.push_back(std::make_unique<WorkerStats>());
}

std::uint32_t StatsRegistry::slot_for(std::string_view route, std::string_view version) {
  auto key = slot_key(route, version);
  if (auto found = slots_.find(key); found != slots_.end()) return found->second;
  if (names_.size() >= kMaxSlots) return kNoSlot;
  const auto slot = static_cast<std::uint32_t>(names_.size());
  // Allocate in every shard first: the number must not reach a worker before its memory does.
  for (auto& worker : workers_) worker->ensure_slot(slot);
  names_.push_back(SlotName{std::string(route), std::string(version)});
  slots_.emplace(std::move(key), slot);
  return slot;
}

std::optional<std::uint32_t> StatsRegistry::find_slot(std::string_view route,
                                                      std::string_view version) const {
  if (auto found = slots_.find(slot_key(route, version)); found != slots_.end()) return found->second;
  return std::nullopt;
}

CumulativeTotals StatsRegistry::totals(std::uint32_t slot) const {
  CumulativeTotals sum;
  for (const auto& worker : workers_) {
    const SlotShard* shard = worker->shard(slot);
    if (shard == nullptr) continue;
    for (std::size_t i = 0; i < kCodeClasses; ++i) sum.codes[i] += read(shard->codes[i]);
    for (std::size_t i = 0; i < kUpstreamKinds; ++i) sum.upstream_errors[i] += read(shard->upstream_errors[i]);
    for (std::size_t i = 0; i < kDurationBuckets; ++i) sum.duration_buckets[i] += read(shard->duration_buckets[i]);
    sum.duration_sum_us += read(shard->duration_sum_us);
    sum.duration_count += read(shard->duration_count);
  }
  return sum;
}

WindowSummary StatsRegistry::window(std::uint32_t slot, std::uint32_t window_ms, std::int64_t now_ms,
                                    std::int64_t since_ms) const {
  const std::int64_t last = window_epoch(now_ms);
  const auto wanted = (static_cast<std::int64_t>(window_ms) + kBucketMs - 1) / kBucketMs;
  std::int64_t first = last - std::clamp<std::int64_t>(wanted, 1, kMaxWindowBuckets) + 1;
  if (since_ms != std::numeric_limits<std::int64_t>::min()) {
    first = std::max(first, window_epoch(since_ms) + 1);  // whole buckets after since_ms only
  }
  WindowSummary summary;
  std::array<std::uint64_t, LatencyBuckets::kCount> latency{};
  for (const auto& worker : workers_) {
    const SlotShard* shard = worker->shard(slot);
    if (shard == nullptr) continue;
    for (std::int64_t epoch = first; epoch <= last; ++epoch) {
      const auto& bucket = shard->window[static_cast<std::uint64_t>(epoch) & (kRingBuckets - 1)];
      add_bucket(bucket, epoch, summary.requests, summary.errors, latency);
    }
  }
  if (summary.requests == 0) return summary;
  summary.error_rate = static_cast<double>(summary.errors) / static_cast<double>(summary.requests);
  summary.p50_ms = LatencyBuckets::quantile_ms(latency, 0.50);
  summary.p90_ms = LatencyBuckets::quantile_ms(latency, 0.90);
  summary.p99_ms = LatencyBuckets::quantile_ms(latency, 0.99);
  return summary;
}

void StatsRegistry::record_guard_trip(std::string_view route) {
  auto found = guard_trips_.find(route);
  if (found == guard_trips_.end()) found = guard_trips_.emplace(std::string(route), 0).first;
  ++found->second;
}

std::uint64_t StatsRegistry::guard_trips(std::string_view route) const {
  auto found = guard_trips_.find(route);
  return found == guard_trips_.end() ? 0 : found->second;
}

}  // namespace switchyard::proxy::stats
