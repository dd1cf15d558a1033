// Inline measurement per request (issue 7): a worker's record() into its own shard, the latency
// histogram's bucket index, and the control thread's window summary the guard reads every 50 ms.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "proxy/stats/latency_buckets.hpp"
#include "proxy/stats/stats_registry.hpp"
#include "proxy/stats/worker_stats.hpp"

namespace switchyard::proxy::stats {
namespace {

void BM_StatsRecord(benchmark::State& state) {
  WorkerStats stats;
  stats.ensure_slot(0);
  const std::int64_t now = steady_now_ms();
  std::uint64_t duration = 800;
  for (auto _ : state) {
    stats.record(0, 200, UpstreamErrorKind::none, duration, now);
    duration = (duration * 7 + 13) % 200000;  // spread over the histogram
  }
}
BENCHMARK(BM_StatsRecord);

void BM_HistogramIndex(benchmark::State& state) {
  std::uint64_t duration = 800;
  for (auto _ : state) {
    benchmark::DoNotOptimize(LatencyBuckets::index_of(duration));
    duration = (duration * 7 + 13) % 2000000;
  }
}
BENCHMARK(BM_HistogramIndex);

// The guard's read: one slot's 10 s window summed over 2 workers (40 buckets each).
void BM_StatsWindow10s(benchmark::State& state) {
  StatsRegistry registry(2);
  const auto slot = registry.slot_for("bench", "canary");
  const std::int64_t now = steady_now_ms();
  for (std::int64_t t = now - 10000; t <= now; t += 5)
    registry.worker(static_cast<unsigned>(t % 2)).record(slot, t % 50 ? 200 : 503, UpstreamErrorKind::none, 900, t);
  for (auto _ : state) benchmark::DoNotOptimize(registry.window(slot, 10000, now));
}
BENCHMARK(BM_StatsWindow10s);

}  // namespace
}  // namespace switchyard::proxy::stats
