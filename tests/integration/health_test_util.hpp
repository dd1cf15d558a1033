#pragma once
// Helpers for the endpoint health, outlier and upstream limit tests: reading the admin API's
// upstream view, events and metrics, and polling for a condition with a bound.

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "tests/integration/proxy_test_util.hpp"

namespace switchyard::test {

// Polls `condition` every 20 ms until it holds or `timeout` passed; returns the last result.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

inline boost::json::value admin_json(const ProxyProcess& proxy, const std::string& target) {
  const auto response = http_request("127.0.0.1", proxy.admin_port(), "GET", target);
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  return ec ? boost::json::value{} : value;
}

// The endpoint `address` of upstream `upstream` in GET /v1/upstreams (an empty object if absent).
inline boost::json::object endpoint_view(const ProxyProcess& proxy, const std::string& upstream,
                                         const std::string& address) {
  const auto all = admin_json(proxy, "/v1/upstreams");
  if (!all.is_object()) return {};
  for (const auto& entry : all.at("upstreams").as_array()) {
    if (entry.at("name").as_string() != upstream) continue;
    for (const auto& endpoint : entry.at("endpoints").as_array()) {
      if (endpoint.at("address").as_string() == address) return endpoint.as_object();
    }
  }
  return {};
}

inline std::string endpoint_state(const ProxyProcess& proxy, const std::string& upstream, const std::string& address) {
  const auto view = endpoint_view(proxy, upstream, address);
  const auto* state = view.if_contains("state");
  return state != nullptr && state->is_string() ? std::string(state->as_string()) : std::string{};
}

// The events of `kind` about endpoint `address`, oldest first.
inline std::vector<boost::json::object> endpoint_events(const ProxyProcess& proxy, const std::string& kind,
                                                        const std::string& address) {
  std::vector<boost::json::object> out;
  const auto all = admin_json(proxy, "/v1/events?since=0");
  if (!all.is_object()) return out;
  for (const auto& event : all.at("events").as_array()) {
    const auto& object = event.as_object();
    if (object.at("kind").as_string() != kind) continue;
    const auto* endpoint = object.if_contains("endpoint");
    if (endpoint != nullptr && endpoint->is_string() && endpoint->as_string() == address) out.push_back(object);
  }
  return out;
}

inline std::string metrics_text(const ProxyProcess& proxy) {
  return http_request("127.0.0.1", proxy.admin_port(), "GET", "/metrics").body;
}

// A version's {requests, errors} over the guard window (GET /v1/routes/{route}/stats).
inline std::pair<std::int64_t, std::int64_t> version_counts(const ProxyProcess& proxy, const std::string& route,
                                                            const std::string& version) {
  const auto stats = admin_json(proxy, "/v1/routes/" + route + "/stats");
  if (!stats.is_object()) return {-1, -1};
  const auto* versions = stats.as_object().if_contains("versions");
  if (versions == nullptr || !versions->as_object().contains(version)) return {-1, -1};
  const auto& figures = versions->at(version);
  return {figures.at("requests").to_number<std::int64_t>(), figures.at("errors").to_number<std::int64_t>()};
}

inline int put_faults(const DemoBackend& backend, const std::string& json) {
  return http_request("127.0.0.1", backend.port(), "PUT", "/admin/faults", json).status;
}

}  // namespace switchyard::test
