#pragma once
// The live part of GET /v1/upstreams: each endpoint's health (active checks and outlier
// ejection) and the upstream's circuit-breaker counters. Control thread (it reads
// EndpointHealth::control). Field meanings: docs/admin-api.md.

#include <boost/json/object.hpp>
#include <cstdint>

#include "config/proxy_config.hpp"
#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::admin {

// {"address","healthy","state","last_error","last_check_ms","check_successes","check_failures",
//  "consecutive_failures","ejections","ejected_until_ms"}. `live` null: a fresh endpoint.
boost::json::object endpoint_health_json(const std::string& address, const routing::Endpoint* live,
                                         std::int64_t now_ms);

// Adds "outlier_detection", "max_connections", "max_pending", "max_requests" (config) and
// "connections", "pending", "requests", "overflow":{kind:count} (live, when `live` is set).
void add_upstream_limits_json(boost::json::object& out, const config::UpstreamConfig& upstream,
                              const routing::Upstream* live);

}  // namespace switchyard::proxy::admin
