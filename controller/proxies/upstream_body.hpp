#pragma once
// The body of PUT /v1/upstreams/{name}. The proxy's PUT replaces the whole upstream, so a body
// with only the keys the controller manages would reset every key the proxy's YAML set
// (outlier_detection, max_connections, max_pending, max_requests, ...) to its default. The body
// therefore starts from the upstream's current definition (GET /v1/config) and overrides only
// what the controller sets. Pure functions; any thread.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "config/controller_config.hpp"

namespace switchyard::controller::proxies {

// The upstream `name` in a GET /v1/config "config" object, without "name"; null when the proxy
// has no such upstream (a new one) or the config is not shaped as documented.
std::optional<boost::json::object> current_upstream(const boost::json::value& config, const std::string& name);

// `current`'s keys (or none), with "endpoints" replaced, and "health_check" replaced when the
// controller has one (otherwise the proxy's own is kept).
boost::json::object upstream_body(std::optional<boost::json::object> current, const std::vector<std::string>& endpoints,
                                  const std::optional<config::HealthCheckConfig>& health_check);

}  // namespace switchyard::controller::proxies
