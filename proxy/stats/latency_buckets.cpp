#include "proxy/stats/latency_buckets.hpp"

#include <algorithm>
#include <cmath>

namespace switchyard::proxy::stats {
namespace {

// upper[i] = exclusive upper edge of bucket i (i < kCount - 1), in microseconds.
struct Edges {
  std::array<double, LatencyBuckets::kCount - 1> upper{};
  std::array<double, LatencyBuckets::kCount> reported_ms{};
  Edges() {
    for (std::size_t i = 0; i < upper.size(); ++i) {
      upper[i] = LatencyBuckets::kFloorUs * std::pow(LatencyBuckets::kRatio, static_cast<double>(i));
    }
    reported_ms[0] = LatencyBuckets::kFloorUs / 1000.0;
    for (std::size_t i = 1; i <= LatencyBuckets::kLogBuckets; ++i) {
      reported_ms[i] = LatencyBuckets::kFloorUs / 1000.0 *
                       std::pow(LatencyBuckets::kRatio, static_cast<double>(i) - 0.5);
    }
    reported_ms[LatencyBuckets::kCount - 1] = upper.back() / 1000.0;
  }
};

const Edges& edges() {
  static const Edges table;
  return table;
}

}  // namespace

std::size_t LatencyBuckets::index_of(std::uint64_t duration_us) {
  // Binary search over 148 edges: 8 comparisons, no log() on the request path.
  const auto& upper = edges().upper;
  const auto value = static_cast<double>(duration_us);
  return static_cast<std::size_t>(std::upper_bound(upper.begin(), upper.end(), value) - upper.begin());
}

double LatencyBuckets::reported_ms(std::size_t index) {
  return edges().reported_ms[std::min(index, kCount - 1)];
}

double LatencyBuckets::quantile_ms(std::span<const std::uint64_t> counts, double q) {
  std::uint64_t total = 0;
  for (auto c : counts) total += c;
  if (total == 0) return 0.0;
  // Nearest rank: the smallest sample with at least q * total samples at or below it.
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
  rank = std::clamp<std::uint64_t>(rank, 1, total);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    seen += counts[i];
    if (seen >= rank) return reported_ms(i);
  }
  return reported_ms(counts.size() - 1);
}

}  // namespace switchyard::proxy::stats
