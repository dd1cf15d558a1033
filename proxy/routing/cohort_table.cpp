#include "proxy/routing/cohort_table.hpp"

#include <algorithm>
#include <numeric>
#include <optional>

namespace switchyard::proxy::routing {

namespace {

// Largest remainder: floor shares first, then one more bucket to the largest remainders
// (ties to the earlier version in split order). A zero sum (never valid config) gives all
// buckets to version 0 rather than dividing by zero.
std::vector<std::uint32_t> exact_counts(const std::vector<std::uint32_t>& weights) {
  std::vector<std::uint32_t> counts(weights.size(), 0);
  const std::uint64_t sum = std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
  if (weights.empty()) return counts;
  if (sum == 0) {
    counts[0] = kCohortBuckets;
    return counts;
  }
  std::vector<std::uint64_t> remainder(weights.size());
  std::uint32_t assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const std::uint64_t scaled = std::uint64_t{weights[i]} * kCohortBuckets;
    counts[i] = static_cast<std::uint32_t>(scaled / sum);
    remainder[i] = scaled % sum;
    assigned += counts[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; assigned < kCohortBuckets; ++k, ++assigned) ++counts[order[k]];
  return counts;
}

std::vector<std::uint16_t> contiguous_layout(const std::vector<std::uint32_t>& counts) {
  std::vector<std::uint16_t> buckets;
  buckets.reserve(kCohortBuckets);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    buckets.insert(buckets.end(), counts[i], static_cast<std::uint16_t>(i));
  }
  buckets.resize(kCohortBuckets, 0);  // only reached with no versions at all
  return buckets;
}

constexpr std::uint16_t kUnowned = 0xffff;

// For each bucket of `previous`, the index of its owner in the new split (kUnowned if removed).
std::vector<std::uint16_t> carry_owners(const std::vector<std::string>& names,
                                        const CohortTable& previous, bool& any_common) {
  const auto& old_names = previous.version_names();
  std::vector<std::uint16_t> old_to_new(old_names.size(), kUnowned);
  any_common = false;
  for (std::size_t o = 0; o < old_names.size(); ++o) {
    const auto it = std::find(names.begin(), names.end(), old_names[o]);
    if (it == names.end()) continue;
    old_to_new[o] = static_cast<std::uint16_t>(it - names.begin());
    any_common = true;
  }
  std::vector<std::uint16_t> owners(kCohortBuckets);
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
    const std::uint16_t old = previous.version_at(b);
    owners[b] = old < old_to_new.size() ? old_to_new[old] : kUnowned;
  }
  return owners;
}

// A shrinking version gives up the end of its buckets that faces the gaining versions, so two
// versions stay two contiguous ranges (the layout a fresh build gives).
void release_surplus(std::vector<std::uint16_t>& owners, std::uint16_t version,
                     std::uint32_t surplus, bool from_high) {
  for (std::uint32_t k = 0; k < kCohortBuckets && surplus > 0; ++k) {
    const std::uint32_t b = from_high ? kCohortBuckets - 1 - k : k;
    if (owners[b] != version) continue;
    owners[b] = kUnowned;
    --surplus;
  }
}

std::vector<std::uint16_t> incremental_layout(std::vector<std::uint16_t> owners,
                                              const std::vector<std::uint32_t>& target) {
  std::vector<std::uint32_t> current(target.size(), 0);
  for (const std::uint16_t o : owners) {
    if (o != kUnowned) ++current[o];
  }
  std::optional<std::size_t> first_gainer;
  for (std::size_t i = 0; i < target.size() && !first_gainer; ++i) {
    if (target[i] > current[i]) first_gainer = i;
  }
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] >= current[i]) continue;
    const bool from_high = first_gainer && i < *first_gainer;
    release_surplus(owners, static_cast<std::uint16_t>(i), current[i] - target[i], from_high);
  }
  // Released buckets, ascending, go to the gainers in split order.
  std::size_t gainer = 0;
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
    if (owners[b] != kUnowned) continue;
    while (gainer < target.size() && current[gainer] >= target[gainer]) ++gainer;
    if (gainer == target.size()) break;  // cannot happen: released == needed
    owners[b] = static_cast<std::uint16_t>(gainer);
    ++current[gainer];
  }
  for (auto& o : owners) {
    if (o == kUnowned) o = 0;  // defensive only; counts always balance
  }
  return owners;
}

}  // namespace

CohortTable CohortTable::build(const std::vector<std::string>& names,
                               const std::vector<std::uint32_t>& weights,
                               const CohortTable* previous) {
  CohortTable table;
  table.names_ = names;
  table.counts_ = exact_counts(weights);
  bool any_common = false;
  std::vector<std::uint16_t> owners;
  if (previous != nullptr && previous->buckets_.size() == kCohortBuckets) {
    owners = carry_owners(names, *previous, any_common);
  }
  table.buckets_ = any_common ? incremental_layout(std::move(owners), table.counts_)
                              : contiguous_layout(table.counts_);
  return table;
}

std::uint32_t CohortTable::bucket_count(std::uint16_t index) const {
  return index < counts_.size() ? counts_[index] : 0;
}

}  // namespace switchyard::proxy::routing
