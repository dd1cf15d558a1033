#include "proxy/admin/upstream_health_json.hpp"

#include <algorithm>

namespace switchyard::proxy::admin {
namespace json = boost::json;

namespace {
constexpr auto relaxed = std::memory_order_relaxed;

const char* state_of(const routing::EndpointControlState& control) {
  if (control.ejected) return "ejected";
  return control.active_healthy ? "healthy" : "unhealthy";
}
}  // namespace

json::object endpoint_health_json(const std::string& address, const routing::Endpoint* live, std::int64_t now_ms) {
  json::object out{{"address", address}};
  if (live == nullptr || !live->health) {
    const bool healthy = live == nullptr || live->healthy;
    out["healthy"] = healthy;
    out["state"] = healthy ? "healthy" : "unhealthy";
    out["last_error"] = nullptr;
    out["last_check_ms"] = nullptr;
    return out;
  }
  const auto& health = *live->health;
  const auto& control = health.control;
  out["healthy"] = live->usable();
  out["state"] = state_of(control);
  if (control.last_error.empty()) {
    out["last_error"] = nullptr;
  } else {
    out["last_error"] = control.last_error;
  }
  if (control.last_check_ms < 0) {
    out["last_check_ms"] = nullptr;
  } else {
    out["last_check_ms"] = std::max<std::int64_t>(0, now_ms - control.last_check_ms);
  }
  out["check_successes"] = control.check_successes;
  out["check_failures"] = control.check_failures;
  out["consecutive_failures"] = health.consecutive_failures();
  out["ejections"] = control.ejections;
  out["ejected_until_ms"] = control.ejected ? std::max<std::int64_t>(0, control.ejected_until_ms - now_ms) : 0;
  return out;
}

void add_upstream_limits_json(json::object& out, const config::UpstreamConfig& upstream, const routing::Upstream* live) {
  const auto& outlier = upstream.outlier_detection;
  out["outlier_detection"] = json::object{{"enabled", outlier.enabled},
                                          {"consecutive_failures", outlier.consecutive_failures},
                                          {"base_ejection_ms", outlier.base_ejection_ms},
                                          {"max_ejection_ms", outlier.max_ejection_ms}};
  out["max_connections"] = upstream.max_connections;
  out["max_pending"] = upstream.max_pending;
  out["max_requests"] = upstream.max_requests;
  if (live == nullptr || !live->runtime) return;
  const auto& runtime = *live->runtime;
  out["connections"] = runtime.connections.load(relaxed);
  out["pending"] = runtime.pending.load(relaxed);
  out["requests"] = runtime.requests.load(relaxed);
  out["overflow"] = json::object{{"max_connections", runtime.overflow_connections.load(relaxed)},
                                 {"max_pending", runtime.overflow_pending.load(relaxed)},
                                 {"max_requests", runtime.overflow_requests.load(relaxed)}};
}

}  // namespace switchyard::proxy::admin
