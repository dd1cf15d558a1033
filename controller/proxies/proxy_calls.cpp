// The typed admin calls of ProxyClient (SPEC §4): request bodies built and answers decoded here.
#include <boost/json.hpp>

#include "controller/proxies/change_recorder.hpp"
#include "controller/proxies/proxy_client.hpp"
#include "controller/proxies/upstream_body.hpp"

namespace switchyard::controller::proxies {
namespace {

namespace json = boost::json;

std::string route_path(const std::string& route, const char* tail = "") {
  return "/v1/routes/" + encode_segment(route) + tail;
}

std::string string_member(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string{};
}

std::uint64_t uint_member(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_uint64()) return value->get_uint64();
  if (value->is_int64() && value->get_int64() >= 0) return static_cast<std::uint64_t>(value->get_int64());
  return 0;
}

// Marks a 2xx answer whose body is not what the contract promises as a failure.
void refuse_shape(AdminResult& result, const std::string& why) {
  result.ok = false;
  result.error = "proxy answered " + std::to_string(result.status) + " but " + why;
}

}  // namespace

std::string encode_segment(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

AdminResult ProxyClient::healthz() { return request("GET", "/healthz"); }

AdminResult ProxyClient::get_route(const std::string& route) {
  return request("GET", route_path(route));
}

AdminResult ProxyClient::put_weights(const std::string& route,
                                     const std::map<std::string, std::uint32_t>& weights) {
  json::object body;
  for (const auto& [version, weight] : weights) body[version] = weight;
  ChangeScope scope(options_.record_changes, name_, weights_change(route, weights));
  auto result = request("PUT", route_path(route, "/weights"), json::serialize(body));
  scope.finish(result.ok);
  return result;
}

AdminResult ProxyClient::put_split(const std::string& route,
                                   const std::vector<config::SplitEntry>& split) {
  json::array entries;
  for (const auto& entry : split) {
    entries.push_back(json::object{
        {"version", entry.version}, {"upstream", entry.upstream}, {"weight", entry.weight}});
  }
  json::object body{{"split", std::move(entries)}};
  // A split of one version (a promotion's end, or a rollback to the baseline) makes it the
  // guard's baseline too: the proxy refuses a split without the guard's revert_to otherwise.
  if (split.size() == 1) body["revert_to"] = split.front().version;
  ChangeScope scope(options_.record_changes, name_, split_change(route, split));
  auto result = request("PUT", route_path(route, "/split"), json::serialize(body));
  scope.finish(result.ok);
  return result;
}

// Carries over the keys the controller does not manage (upstream_body.hpp): without the
// current definition the PUT would reset them, so a failed read fails the call.
AdminResult ProxyClient::put_upstream(const std::string& name,
                                      const std::vector<std::string>& endpoints,
                                      const std::optional<config::HealthCheckConfig>& health_check) {
  ChangeScope scope(options_.record_changes, name_,
                    upstream_change(name, &endpoints));
  auto current = get_config();
  if (!current.result.ok) {
    current.result.ok = false;
    current.result.error = "reading upstream " + name + " before replacing it: " + current.result.error;
    return current.result;
  }
  const auto body = upstream_body(current_upstream(current.config, name), endpoints, health_check);
  auto result = request("PUT", "/v1/upstreams/" + encode_segment(name), json::serialize(body));
  scope.finish(result.ok);
  return result;
}

AdminResult ProxyClient::delete_upstream(const std::string& name) {
  ChangeScope scope(options_.record_changes, name_, upstream_change(name, nullptr));
  auto result = request("DELETE", "/v1/upstreams/" + encode_segment(name));
  scope.finish(result.ok);
  return result;
}

AdminResult ProxyClient::get_stats(const std::string& route) {
  return request("GET", route_path(route, "/stats"));
}

ConfigResult ProxyClient::get_config() {
  ConfigResult out;
  out.result = request("GET", "/v1/config");
  if (!out.result.ok) return out;
  if (!out.result.json.is_object()) {
    refuse_shape(out.result, "not a JSON object");
    return out;
  }
  const auto& object = out.result.json.get_object();
  out.hash = string_member(object, "hash");
  if (const auto* config = object.if_contains("config")) out.config = *config;
  if (out.hash.empty()) refuse_shape(out.result, "without a \"hash\"");
  return out;
}

EventsResult ProxyClient::events(std::uint64_t since, std::uint32_t wait_ms) {
  EventsResult out;
  std::string target = "/v1/events?since=" + std::to_string(since);
  if (wait_ms > 0) target += "&wait_ms=" + std::to_string(wait_ms);
  out.result = request("GET", target, "", options_.timeout + std::chrono::milliseconds(wait_ms));
  out.next = since;
  if (!out.result.ok) return out;
  const auto* object = out.result.json.if_object();
  const auto* list = object != nullptr ? object->if_contains("events") : nullptr;
  if (list == nullptr || !list->is_array()) {
    refuse_shape(out.result, "without an \"events\" array");
    return out;
  }
  for (const auto& value : list->get_array()) {
    if (!value.is_object()) continue;
    const auto& event = value.get_object();
    out.events.push_back(ProxyEvent{uint_member(event, "seq"), string_member(event, "time"),
                                    string_member(event, "kind"), string_member(event, "route"),
                                    value});
    out.next = std::max(out.next, out.events.back().seq);
  }
  out.next = std::max(out.next, uint_member(*object, "next"));
  return out;
}

}  // namespace switchyard::controller::proxies
