#pragma once
// CohortTable: maps each of the 10,000 cohort buckets to a version index of one route.
// Immutable once built; shared read-only by every worker through the RouteTable snapshot.
//
// Shares are exact: version i owns round(10000 * w_i / sum) buckets (largest remainder).
// Monotone: a table is built from the previous table of the same route. A version whose bucket
// count does not shrink keeps every bucket it had, so raising a version's weight never moves a
// client away from it; only buckets of shrinking (or removed) versions change hands.
// With no previous table the layout is contiguous ranges in split order; for two versions the
// incremental rule keeps that layout, so a restarted proxy agrees with a long-running one.

#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::proxy::routing {

inline constexpr std::uint32_t kCohortBuckets = 10000;

class CohortTable {
 public:
  // `names[i]` and `weights[i]` describe version i (sum of weights > 0).
  // `previous` (may be null) is the table this route had, with its versions' names.
  static CohortTable build(const std::vector<std::string>& names,
                           const std::vector<std::uint32_t>& weights,
                           const CohortTable* previous);

  std::uint16_t version_at(std::uint32_t bucket) const { return buckets_[bucket]; }
  // How many buckets version `index` owns.
  std::uint32_t bucket_count(std::uint16_t index) const;
  const std::vector<std::string>& version_names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::uint16_t> buckets_;  // kCohortBuckets entries
  std::vector<std::uint32_t> counts_;   // buckets owned per version (sums to kCohortBuckets)
};

}  // namespace switchyard::proxy::routing
