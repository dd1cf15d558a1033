#include "proxy/routing/picker.hpp"

#include "proxy/routing/cohort_hash.hpp"

namespace switchyard::proxy::routing {

namespace {

using StickyKind = config::StickyConfig::Kind;

void write_cohort_id(std::uint64_t value, char (&out)[17]) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    out[i] = kHex[value & 0xf];
    value >>= 4;
  }
  out[16] = '\0';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Pick pick_version(const Route& route, const RequestKeys& keys, FastRandom& random) {
  Pick pick;
  if (!keys.override_value.empty()) {
    if (const auto pinned = route.find_version(keys.override_value)) {
      pick.version = *pinned;
      pick.pinned = true;
      return pick;
    }
  }
  const StickyKind kind = route.sticky.kind;
  if (kind != StickyKind::none && !keys.sticky_value.empty()) {
    pick.bucket = cohort_bucket(keys.sticky_value);
  } else if (kind == StickyKind::cookie) {
    // The new client's cohort is the id we hand out, so its next request (carrying the
    // cookie) lands in the same bucket.
    write_cohort_id(random.next(), pick.new_cohort_id);
    pick.bucket = cohort_bucket(std::string_view(pick.new_cohort_id, 16));
  } else {
    pick.bucket = random.below(kCohortBuckets);
  }
  pick.version = route.cohorts.version_at(pick.bucket);
  return pick;
}

std::string_view find_cookie(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const std::size_t semi = cookie_header.find(';');
    const std::string_view pair = cookie_header.substr(0, semi);
    cookie_header = semi == std::string_view::npos ? std::string_view{}
                                                   : cookie_header.substr(semi + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return {};
}

}  // namespace switchyard::proxy::routing
