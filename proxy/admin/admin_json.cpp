#include "proxy/admin/admin_json.hpp"

#include "proxy/admin/json_text.hpp"

#include <limits>
#include <optional>

#include <boost/json.hpp>

#include "config/load_proxy_config.hpp"
#include "proxy/admin/upstream_health_json.hpp"
#include "proxy/stats/worker_stats.hpp"

namespace json = boost::json;

namespace switchyard::proxy::admin {
namespace {

AdminError bad(std::string field, std::string_view what) {
  return AdminError{400, field + ": " + std::string(what)};
}

Parsed<json::object> parse_object(std::string_view body) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) return AdminError{400, "invalid JSON: " + ec.message()};
  if (!value.is_object()) return AdminError{400, "body: must be a JSON object"};
  return std::move(value.as_object());
}

// A non-negative integer that fits 32 bits; doubles (even 10.0) and strings are refused.
std::optional<AdminError> read_uint32(const json::value& value, const std::string& field,
                                      std::uint32_t& out) {
  constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
  if (value.is_int64() && value.get_int64() >= 0 &&
      static_cast<std::uint64_t>(value.get_int64()) <= kMax) {
    out = static_cast<std::uint32_t>(value.get_int64());
    return std::nullopt;
  }
  if (value.is_uint64() && value.get_uint64() <= kMax) {
    out = static_cast<std::uint32_t>(value.get_uint64());
    return std::nullopt;
  }
  if ((value.is_int64() && value.get_int64() >= 0) || value.is_uint64()) {
    return bad(field, "must be <= 4294967295");
  }
  return bad(field, "must be a non-negative integer");
}

std::optional<AdminError> read_string(const json::value& value, const std::string& field,
                                      std::string& out) {
  if (!value.is_string() || value.get_string().empty()) {
    return bad(field, "must be a non-empty string");
  }
  out = std::string(value.get_string());
  return std::nullopt;
}

json::value sticky_to_json(const config::StickyConfig& sticky) {
  switch (sticky.kind) {
    case config::StickyConfig::Kind::cookie: return json::object{{"cookie", sticky.name}};
    case config::StickyConfig::Kind::header: return json::object{{"header", sticky.name}};
    case config::StickyConfig::Kind::none: break;
  }
  return nullptr;
}

json::value guard_to_json(const std::optional<config::GuardConfig>& guard, GuardState state) {
  json::object out{{"state", to_string(state)}};
  if (guard) {
    out["revert_to"] = guard->revert_to;
    out["window_ms"] = guard->window_ms;
    out["min_requests"] = guard->min_requests;
    out["max_error_rate"] = guard->max_error_rate;
    out["max_p99_ms"] = guard->max_p99_ms;
  }
  return out;
}

json::value health_check_to_json(const std::optional<config::HealthCheckConfig>& check) {
  if (!check) return nullptr;
  return json::object{{"path", check->path},
                      {"interval_ms", check->interval_ms},
                      {"timeout_ms", check->timeout_ms},
                      {"healthy", check->healthy},
                      {"unhealthy", check->unhealthy}};
}

std::optional<AdminError> parse_split_entry(const json::value& value, const std::string& field,
                                            config::SplitEntry& out) {
  if (!value.is_object()) return bad(field, "must be an object {version, upstream, weight}");
  const auto& object = value.get_object();
  for (const auto& [key, member] : object) {
    (void)member;
    if (key != "version" && key != "upstream" && key != "weight") {
      return bad(field + "." + std::string(key), "unknown key");
    }
  }
  for (const char* key : {"version", "upstream", "weight"}) {
    if (!object.contains(key)) return bad(field + "." + key, "required");
  }
  if (auto error = read_string(object.at("version"), field + ".version", out.version)) return error;
  if (auto error = read_string(object.at("upstream"), field + ".upstream", out.upstream)) {
    return error;
  }
  return read_uint32(object.at("weight"), field + ".weight", out.weight);
}

std::optional<AdminError> parse_health_check(const json::value& value,
                                             std::optional<config::HealthCheckConfig>& out) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_object()) return bad("health_check", "must be an object or null");
  config::HealthCheckConfig check;
  for (const auto& [key, member] : value.get_object()) {
    const std::string field = "health_check." + std::string(key);
    std::optional<AdminError> error;
    if (key == "path") {
      error = read_string(member, field, check.path);
    } else if (key == "interval_ms") {
      error = read_uint32(member, field, check.interval_ms);
    } else if (key == "timeout_ms") {
      error = read_uint32(member, field, check.timeout_ms);
    } else if (key == "healthy") {
      error = read_uint32(member, field, check.healthy);
    } else if (key == "unhealthy") {
      error = read_uint32(member, field, check.unhealthy);
    } else {
      error = bad(field, "unknown key");
    }
    if (error) return error;
  }
  out = std::move(check);
  return std::nullopt;
}

std::optional<AdminError> parse_outlier_detection(const json::value& value,
                                                  config::OutlierDetectionConfig& out) {
  if (!value.is_object()) return bad("outlier_detection", "must be an object");
  config::OutlierDetectionConfig outlier;
  for (const auto& [key, member] : value.get_object()) {
    const std::string field = "outlier_detection." + std::string(key);
    std::optional<AdminError> error;
    if (key == "enabled") {
      if (!member.is_bool()) error = bad(field, "must be true or false");
      else outlier.enabled = member.get_bool();
    } else if (key == "consecutive_failures") {
      error = read_uint32(member, field, outlier.consecutive_failures);
    } else if (key == "base_ejection_ms") {
      error = read_uint32(member, field, outlier.base_ejection_ms);
    } else if (key == "max_ejection_ms") {
      error = read_uint32(member, field, outlier.max_ejection_ms);
    } else {
      error = bad(field, "unknown key");
    }
    if (error) return error;
  }
  out = outlier;
  return std::nullopt;
}

std::optional<AdminError> parse_endpoints(const json::value& value,
                                          std::vector<config::HostPort>& out) {
  if (!value.is_array()) return bad("endpoints", "must be an array of \"host:port\" strings");
  const auto& array = value.get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string field = "endpoints[" + std::to_string(i) + "]";
    if (!array[i].is_string()) return bad(field, "must be a \"host:port\" string");
    config::HostPort address;
    if (auto what = config::parse_host_port(array[i].get_string(), address); !what.empty()) {
      return bad(field, what);
    }
    out.push_back(std::move(address));
  }
  return std::nullopt;
}

}  // namespace

json::value route_to_json(const config::RouteConfig& route, GuardState guard) {
  json::array split;
  for (const auto& entry : route.split) {
    split.push_back(json::object{
        {"version", entry.version}, {"upstream", entry.upstream}, {"weight", entry.weight}});
  }
  return json::object{
      {"name", route.name},
      {"match", json::object{{"host", route.match.host}, {"path_prefix", route.match.path_prefix}}},
      {"split", std::move(split)},
      {"sticky", sticky_to_json(route.sticky)},
      {"override_header", route.override_header},
      {"guard", guard_to_json(route.guard, guard)}};
}

json::value upstream_to_json(const config::UpstreamConfig& upstream,
                             const routing::Upstream* live) {
  const auto now_ms = stats::steady_now_ms();
  json::array endpoints;
  for (const auto& address : upstream.endpoints) {
    const std::string key = address.to_string();
    const routing::Endpoint* found = nullptr;
    if (live != nullptr) {
      for (const auto& endpoint : live->endpoints) {
        if (endpoint.key == key) found = &endpoint;
      }
    }
    endpoints.push_back(endpoint_health_json(key, found, now_ms));
  }
  json::object out{{"name", upstream.name},
                   {"endpoints", std::move(endpoints)},
                   {"health_check", health_check_to_json(upstream.health_check)}};
  add_upstream_limits_json(out, upstream, live);
  return out;
}

Parsed<std::map<std::string, std::uint32_t>> parse_weights_body(std::string_view body) {
  auto parsed = parse_object(body);
  if (auto* error = std::get_if<AdminError>(&parsed)) return std::move(*error);
  const auto& object = std::get<json::object>(parsed);
  if (object.empty()) return bad("weights", "must name at least one version");
  std::map<std::string, std::uint32_t> weights;
  for (const auto& [key, value] : object) {
    std::uint32_t weight = 0;
    if (auto error = read_uint32(value, "weights." + std::string(key), weight)) return *error;
    weights[std::string(key)] = weight;
  }
  return weights;
}

Parsed<SplitBody> parse_split_body(std::string_view body) {
  auto parsed = parse_object(body);
  if (auto* error = std::get_if<AdminError>(&parsed)) return std::move(*error);
  const auto& object = std::get<json::object>(parsed);
  SplitBody result;
  for (const auto& [key, value] : object) {
    if (key == "revert_to") {
      if (!value.is_string() || value.get_string().empty()) return bad("revert_to", "must be a non-empty string");
      result.revert_to = std::string(value.get_string());
    } else if (key != "split") {
      return bad(std::string(key), "unknown key");
    }
  }
  const auto* split = object.if_contains("split");
  if (split == nullptr) return bad("split", "required");
  if (!split->is_array()) return bad("split", "must be an array");
  if (split->get_array().empty()) return bad("split", "must have at least one entry");
  std::vector<config::SplitEntry> entries;
  for (std::size_t i = 0; i < split->get_array().size(); ++i) {
    config::SplitEntry entry;
    const std::string field = "split[" + std::to_string(i) + "]";
    if (auto error = parse_split_entry(split->get_array()[i], field, entry)) return *error;
    entries.push_back(std::move(entry));
  }
  result.split = std::move(entries);
  return result;
}

Parsed<config::UpstreamConfig> parse_upstream_body(std::string_view body, std::string_view name) {
  auto parsed = parse_object(body);
  if (auto* error = std::get_if<AdminError>(&parsed)) return std::move(*error);
  const auto& object = std::get<json::object>(parsed);
  config::UpstreamConfig upstream;
  upstream.name = std::string(name);
  for (const auto& [key, value] : object) {
    std::optional<AdminError> error;
    if (key == "name") {
      if (!value.is_string() || value.get_string() != name) {
        error = bad("name", "must equal the name in the path (" + std::string(name) + ")");
      }
    } else if (key == "endpoints") {
      error = parse_endpoints(value, upstream.endpoints);
    } else if (key == "health_check") {
      error = parse_health_check(value, upstream.health_check);
    } else if (key == "outlier_detection") {
      error = parse_outlier_detection(value, upstream.outlier_detection);
    } else if (key == "max_connections") {
      error = read_uint32(value, "max_connections", upstream.max_connections);
    } else if (key == "max_pending") {
      error = read_uint32(value, "max_pending", upstream.max_pending);
    } else if (key == "max_requests") {
      error = read_uint32(value, "max_requests", upstream.max_requests);
    } else {
      error = bad(std::string(key), "unknown key");
    }
    if (error) return *error;
  }
  if (!object.contains("endpoints")) return bad("endpoints", "required (an array, may be empty)");
  return upstream;
}

AdminResponse json_response(int status, const json::value& value) {
  AdminResponse response;
  response.status = status;
  response.body = to_json_text(value);
  return response;
}

}  // namespace switchyard::proxy::admin
