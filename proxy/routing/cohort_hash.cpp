#include "proxy/routing/cohort_hash.hpp"

#include "proxy/routing/cohort_table.hpp"

namespace switchyard::proxy::routing {

namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

// splitmix64's finalizer: FNV-1a alone leaves short, similar keys clustered in the high bits,
// which the multiply-shift below reads.
std::uint64_t mix(std::uint64_t z) {
  z ^= z >> 30;
  z *= 0xbf58476d1ce4e5b9ULL;
  z ^= z >> 27;
  z *= 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z;
}

}  // namespace

// These constants and steps must never change: every proxy of a site, old or new, must put a
// given key in the same bucket (tests pin known values).
std::uint64_t cohort_hash(std::string_view key) {
  std::uint64_t h = kFnvOffset;
  for (const char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return mix(h);
}

std::uint32_t cohort_bucket(std::string_view key) {
  const unsigned __int128 wide = static_cast<unsigned __int128>(cohort_hash(key)) * kCohortBuckets;
  return static_cast<std::uint32_t>(wide >> 64);
}

}  // namespace switchyard::proxy::routing
