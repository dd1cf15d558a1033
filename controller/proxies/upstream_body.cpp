#include "controller/proxies/upstream_body.hpp"

#include <boost/json.hpp>

namespace switchyard::controller::proxies {
namespace json = boost::json;

std::optional<json::object> current_upstream(const json::value& config, const std::string& name) {
  const auto* object = config.if_object();
  const auto* upstreams = object != nullptr ? object->if_contains("upstreams") : nullptr;
  if (upstreams == nullptr || !upstreams->is_array()) return std::nullopt;
  for (const auto& entry : upstreams->get_array()) {
    const auto* upstream = entry.if_object();
    if (upstream == nullptr) continue;
    const auto* entry_name = upstream->if_contains("name");
    if (entry_name == nullptr || !entry_name->is_string() || entry_name->get_string() != name) continue;
    json::object keys = *upstream;
    keys.erase("name");
    return keys;
  }
  return std::nullopt;
}

json::object upstream_body(std::optional<json::object> current, const std::vector<std::string>& endpoints,
                           const std::optional<config::HealthCheckConfig>& health_check) {
  json::object body = current ? std::move(*current) : json::object{};
  json::array list;
  for (const auto& endpoint : endpoints) list.push_back(json::string(endpoint));
  body["endpoints"] = std::move(list);
  if (health_check) {
    body["health_check"] = json::object{{"path", health_check->path},
                                        {"interval_ms", health_check->interval_ms},
                                        {"timeout_ms", health_check->timeout_ms},
                                        {"healthy", health_check->healthy},
                                        {"unhealthy", health_check->unhealthy}};
  }
  return body;
}

}  // namespace switchyard::controller::proxies
