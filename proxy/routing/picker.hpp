#pragma once
// Picker: chooses the version of a route for one request. Pure and allocation-free; the caller
// extracts the request's keys (override header value, sticky cookie/header value).
// Order: a valid override pins its version (even at weight 0: blue-green preview); else a
// sticky key picks by its cohort bucket; else a random bucket. One mechanism: bucket -> version.

#include <cstdint>
#include <string_view>

#include "proxy/routing/fast_random.hpp"
#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::routing {

struct RequestKeys {
  std::string_view override_value;  // empty = none
  std::string_view sticky_value;    // empty = none sent
};

struct Pick {
  std::uint16_t version = 0;
  std::uint32_t bucket = 0;
  bool pinned = false;              // chosen by the override header
  // With a sticky cookie and none sent: the cohort id to hand out in Set-Cookie
  // (the bucket was derived from it). Empty otherwise.
  char new_cohort_id[17] = {};
  bool set_cookie() const { return new_cohort_id[0] != '\0'; }
};

Pick pick_version(const Route& route, const RequestKeys& keys, FastRandom& random);

// Value of cookie `name` in a Cookie header ("a=1; b=2"), empty if absent.
std::string_view find_cookie(std::string_view cookie_header, std::string_view name);

}  // namespace switchyard::proxy::routing
