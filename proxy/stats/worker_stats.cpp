#include "proxy/stats/worker_stats.hpp"

#include <chrono>

namespace switchyard::proxy::stats {
namespace {

// The single writer's increment: a plain load and store, no locked read-modify-write.
template <class T>
inline void bump(std::atomic<T>& counter, T by = 1) {
  counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

// The window bucket for `epoch`, reset first if it still holds an older epoch.
WindowBucket& current_bucket(SlotShard& shard, std::int64_t epoch) {
  auto& bucket = shard.window[static_cast<std::uint64_t>(epoch) & (kRingBuckets - 1)];
  if (bucket.epoch.load(std::memory_order_relaxed) == epoch) return bucket;
  // Seqlock write: mark it empty, zero it, then publish the new epoch. A reader that saw any
  // zeroed count sees the empty mark (or the new epoch) on its re-check and discards the bucket.
  bucket.epoch.store(kEmptyEpoch, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  bucket.requests.store(0, std::memory_order_relaxed);
  bucket.errors.store(0, std::memory_order_relaxed);
  for (auto& count : bucket.latency) count.store(0, std::memory_order_relaxed);
  bucket.epoch.store(epoch, std::memory_order_release);
  return bucket;
}

std::size_t duration_bucket(std::uint64_t duration_us) {
  std::size_t i = 0;
  while (i < kDurationBoundsUs.size() && duration_us > kDurationBoundsUs[i]) ++i;  // le: <=
  return i;
}

}  // namespace

WorkerStats::~WorkerStats() {
  for (auto& slot : slots_) delete slot.load(std::memory_order_relaxed);
}

void WorkerStats::ensure_slot(std::uint32_t slot) {
  if (slot >= kMaxSlots || slots_[slot].load(std::memory_order_relaxed) != nullptr) return;
  slots_[slot].store(new SlotShard(), std::memory_order_release);
}

const SlotShard* WorkerStats::shard(std::uint32_t slot) const {
  if (slot >= kMaxSlots) return nullptr;
  return slots_[slot].load(std::memory_order_acquire);
}

void WorkerStats::record(std::uint32_t slot, unsigned status, UpstreamErrorKind error,
                         std::uint64_t duration_us, std::int64_t now_ms) {
  if (slot >= kMaxSlots) return;
  SlotShard* shard = slots_[slot].load(std::memory_order_acquire);
  if (shard == nullptr) return;
  const bool failed_upstream = error != UpstreamErrorKind::none;
  const unsigned code_class = status == 0 && failed_upstream ? 5 : status / 100;
  if (code_class >= 2 && code_class <= 5) bump(shard->codes[code_class - 2]);
  if (failed_upstream) bump(shard->upstream_errors[static_cast<std::size_t>(error) - 1]);
  bump(shard->duration_buckets[duration_bucket(duration_us)]);
  bump(shard->duration_sum_us, duration_us);
  bump(shard->duration_count);

  auto& bucket = current_bucket(*shard, window_epoch(now_ms));
  bump(bucket.requests);
  if (code_class == 5 || failed_upstream) bump(bucket.errors);
  bump(bucket.latency[LatencyBuckets::index_of(duration_us)]);
}

std::int64_t window_epoch(std::int64_t now_ms) {
  // Floor division: epochs stay monotone for negative times too (tests inject any now_ms).
  return now_ms >= 0 ? now_ms / kBucketMs : -((-now_ms + kBucketMs - 1) / kBucketMs);
}

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace switchyard::proxy::stats
