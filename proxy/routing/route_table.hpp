#pragma once
// RouteTable: the immutable routing snapshot (routes, their splits and cohort tables, upstreams
// and their endpoints). Built on the control thread, published through RouteTablePublisher,
// read by every worker without locks. A request keeps the snapshot it started with.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/proxy_config.hpp"
#include "proxy/routing/cohort_table.hpp"
#include "proxy/routing/endpoint_health.hpp"

namespace switchyard::proxy::routing {

struct Endpoint {
  std::string host;  // literal IP
  std::uint16_t port = 0;
  std::string key;   // "host:port" (IPv6 bracketed): the pool key
  bool healthy = true;  // static: false only in hand-built tables
  // Live health shared with the control thread; never null in tables built by build().
  std::shared_ptr<EndpointHealth> health = nullptr;

  // Whether a request may use this endpoint now: one relaxed atomic load, no refcount traffic.
  bool usable() const { return healthy && (health == nullptr || health->usable()); }
};

struct Upstream {
  std::string name;
  std::vector<Endpoint> endpoints;
  // Circuit breakers (config::UpstreamConfig; 0 = unlimited) and their shared counters, carried
  // over by name across rebuilds. Never null in tables built by build().
  std::uint32_t max_connections = 0;
  std::uint32_t max_pending = 0;
  std::uint32_t max_requests = 0;
  std::shared_ptr<UpstreamRuntime> runtime = nullptr;
};

// Version::upstream when the split names an upstream the config lacks. Validated config never
// produces it; readers treat it like an upstream with no endpoints (503).
inline constexpr std::uint32_t kNoUpstream = 0xffffffff;

// A version without a statistics slot (tables built without a StatsSlotAssigner).
inline constexpr std::uint32_t kNoStatsSlot = 0xffffffff;

// Gives the statistics slot of (route name, version name); called on the control thread while a
// table is built. The stats library owns slots; routing only carries the numbers to the workers.
using StatsSlotAssigner = std::function<std::uint32_t(std::string_view route, std::string_view version)>;

struct Version {
  std::string name;
  std::uint32_t upstream = 0;  // index into RouteTable::upstreams(), or kNoUpstream
  std::uint32_t weight = 0;
  std::uint32_t stats_slot = kNoStatsSlot;  // where workers record this version's requests
};

struct Route {
  std::string name;
  std::uint32_t index = 0;       // position in RouteTable::routes()
  std::string host;              // lower-case; empty = any
  std::string path_prefix;
  std::vector<Version> versions;
  CohortTable cohorts;
  config::StickyConfig sticky;
  std::string override_header;   // lower-case; empty = off

  // Index of the version named `name`, if any.
  std::optional<std::uint16_t> find_version(std::string_view name) const;
};

class RouteTable {
 public:
  // Builds a snapshot of `config` (already validated). `previous` (may be null) supplies each
  // route's previous cohort table, matched by route name, so cohorts stay monotone, and each
  // endpoint's live health and each upstream's counters, matched by (upstream name, endpoint key).
  static std::shared_ptr<const RouteTable> build(const config::ProxyConfig& config,
                                                 const RouteTable* previous,
                                                 std::uint64_t generation,
                                                 const StatsSlotAssigner& stats_slots = {});

  // First route whose host (if set) equals `host` (case-insensitive, port stripped) and whose
  // path_prefix is a prefix of `path`. Null when none matches.
  const Route* match(std::string_view host, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }
  const std::vector<Upstream>& upstreams() const { return upstreams_; }
  const Route* find_route(std::string_view name) const;
  const Upstream* find_upstream(std::string_view name) const;
  std::uint64_t generation() const { return generation_; }

 private:
  std::vector<Route> routes_;
  std::vector<Upstream> upstreams_;
  std::uint64_t generation_ = 0;
};

}  // namespace switchyard::proxy::routing
