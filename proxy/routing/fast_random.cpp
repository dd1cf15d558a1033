#include "proxy/routing/fast_random.hpp"

namespace switchyard::proxy::routing {

namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

// splitmix64 spreads any seed (even 0) into a state that is never all zero.
FastRandom::FastRandom(std::uint64_t seed) {
  for (auto& word : s_) word = splitmix64(seed);
}

std::uint64_t FastRandom::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

// The high 32 bits are xoshiro's best; scaling them by `bound` avoids a division per request.
std::uint32_t FastRandom::below(std::uint32_t bound) {
  const std::uint64_t r = next() >> 32;
  return static_cast<std::uint32_t>((r * bound) >> 32);
}

}  // namespace switchyard::proxy::routing
