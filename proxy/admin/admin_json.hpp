#pragma once
// Boost.JSON conversions of the admin API: the ROUTE and upstream shapes it answers, and the
// parsers of the bodies it accepts. Parsers never throw: a bad body is an AdminError (400) whose
// message names the offending field, e.g. "split[1].weight: must be a non-negative integer".
// Pure functions; used on the control thread.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "config/proxy_config.hpp"
#include "proxy/admin/admin_types.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::admin {

template <class T>
using Parsed = std::variant<T, AdminError>;

// ROUTE = {"name","match":{"host","path_prefix"},"split":[{"version","upstream","weight"}],
//          "sticky":{"cookie"|"header":name} or null,"override_header",
//          "guard":{"state","revert_to","window_ms","min_requests","max_error_rate","max_p99_ms"}}
boost::json::value route_to_json(const config::RouteConfig& route, GuardState guard);

// {"name","endpoints":[{"address","healthy","state",...}],"health_check":{...} or null,
//  "outlier_detection",...} (upstream_health_json.hpp). Health comes from `live` (the published
// snapshot's copy of this upstream, may be null: then healthy = true).
boost::json::value upstream_to_json(const config::UpstreamConfig& upstream,
                                    const routing::Upstream* live);

// {"stable":90,"canary":10}: at least one version, each a non-negative 32-bit integer.
Parsed<std::map<std::string, std::uint32_t>> parse_weights_body(std::string_view body);

// {"split":[{"version","upstream","weight"}...],"revert_to":"V"}; unknown keys are refused.
// revert_to (optional) moves the route's guard baseline to V, which must be in the new split.
struct SplitBody {
  std::vector<config::SplitEntry> split;
  std::string revert_to;  // empty: the guard keeps its own
};
Parsed<SplitBody> parse_split_body(std::string_view body);

// {"endpoints":["host:port"...],"health_check":{...} or null}; "name", if present, must equal
// `name` (the path parameter), so that a GET answer's name can be sent back unchanged.
Parsed<config::UpstreamConfig> parse_upstream_body(std::string_view body, std::string_view name);

// Serialises `value` into a response with `status`.
AdminResponse json_response(int status, const boost::json::value& value);

}  // namespace switchyard::proxy::admin
