#pragma once
// FastRandom: a small worker-local PRNG (xoshiro256** seeded by splitmix64). Not thread-safe:
// each worker owns one, so the per-request pick shares no state across threads.

#include <cstdint>

namespace switchyard::proxy::routing {

class FastRandom {
 public:
  explicit FastRandom(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in [0, bound) without division (Lemire's multiply-shift; bias < 2^-32 for our bounds).
  std::uint32_t below(std::uint32_t bound);

 private:
  std::uint64_t s_[4];
};

}  // namespace switchyard::proxy::routing
