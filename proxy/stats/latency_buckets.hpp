#pragma once
// LatencyBuckets: the fixed log-bucket layout of the sliding window's latency histograms, and the
// quantile estimate over a set of bucket counts. Pure functions and constants; any thread.
//
// Bucket 0 holds [0, 100 us); bucket i in 1..kLogBuckets holds [100 us * r^(i-1), 100 us * r^i)
// with r = 1.1; the last bucket holds everything from 100 us * r^147 (about 122 s) up. A quantile
// is reported as the geometric middle of its bucket, 100 us * r^(i-1/2), so for any latency in
// [100 us, 122 s] the reported value is within a factor sqrt(1.1) of the true sample:
// relative error <= sqrt(1.1) - 1 = 4.88%. Below 100 us the answer is 0.1 ms (absolute error
// < 0.1 ms); above 122 s it is 122 s.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace switchyard::proxy::stats {

struct LatencyBuckets {
  static constexpr double kRatio = 1.1;
  static constexpr double kFloorUs = 100.0;
  static constexpr std::size_t kLogBuckets = 147;               // 100 us * 1.1^147 ~ 122 s
  static constexpr std::size_t kCount = kLogBuckets + 2;       // + underflow + overflow
  static constexpr double kMaxRelativeError = 0.0488088482;    // sqrt(1.1) - 1

  // Index of the bucket holding `duration_us` (0 .. kCount-1).
  static std::size_t index_of(std::uint64_t duration_us);
  // The value reported for bucket `index`, in milliseconds.
  static double reported_ms(std::size_t index);
  // Nearest-rank quantile q (0 < q <= 1) of the samples counted in `counts` (kCount entries), in
  // ms; 0 when there are none.
  static double quantile_ms(std::span<const std::uint64_t> counts, double q);
};

}  // namespace switchyard::proxy::stats
