#pragma once
// CohortHash: the stable hash of a sticky key (cookie or header value) into a cohort bucket.
// Stable across processes, builds and machines (FNV-1a 64 then a mixing step), so that every
// proxy of a site puts a client in the same bucket.

#include <cstdint>
#include <string_view>

namespace switchyard::proxy::routing {

std::uint64_t cohort_hash(std::string_view key);
std::uint32_t cohort_bucket(std::string_view key);  // in [0, kCohortBuckets)

}  // namespace switchyard::proxy::routing
