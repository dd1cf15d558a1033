// ControlState's event recording and change log lines: one log line and one event per change,
// with the details a controller needs to react without asking again (weights after the change,
// the upstream's endpoints, who made it).
#include <string>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "proxy/admin/control_state.hpp"

namespace json = boost::json;

namespace switchyard::proxy::admin {
namespace {

json::object weights_of(const config::RouteConfig& route) {
  json::object weights;
  for (const auto& entry : route.split) weights[entry.version] = entry.weight;
  return weights;
}

std::string weights_text(const config::RouteConfig& route) {
  std::string text;
  for (const auto& entry : route.split) {
    if (!text.empty()) text += ' ';
    text += entry.version + "=" + std::to_string(entry.weight);
  }
  return text;
}

json::array split_of(const config::RouteConfig& route) {
  json::array split;
  for (const auto& entry : route.split) {
    split.push_back(json::object{
        {"version", entry.version}, {"upstream", entry.upstream}, {"weight", entry.weight}});
  }
  return split;
}

std::string by_text(const std::string& origin) {
  return origin.empty() ? std::string{} : " (by " + origin + ")";
}

}  // namespace

void ControlState::record_change(const ChangeEvent& event) {
  json::object detail;
  if (!origin_.empty()) detail["by"] = origin_;
  if (!event.route.empty()) {
    const auto* route = find_route(event.route);
    if (route == nullptr) return;  // cannot happen: notify() runs after a successful commit
    detail["weights"] = weights_of(*route);
    if (event.kind == event_kind::kSplitChanged) detail["split"] = split_of(*route);
    if (event.kind == event_kind::kGuardTripped && route->guard) {
      detail["revert_to"] = route->guard->revert_to;
    }
    const auto line = fmt::format("route {}: {}, weights now {}{}", event.route, event.kind,
                                  weights_text(*route), by_text(origin_));
    if (event.kind == event_kind::kGuardTripped) {
      spdlog::warn("{}", line);
    } else {
      spdlog::info("{}", line);
    }
  }
  if (!event.upstream.empty()) {
    detail["upstream"] = event.upstream;
    const auto* upstream = find_upstream(event.upstream);
    detail["deleted"] = upstream == nullptr;
    std::string endpoints_text;
    if (upstream != nullptr) {
      json::array endpoints;
      for (const auto& endpoint : upstream->endpoints) {
        endpoints.push_back(json::string(endpoint.to_string()));
        endpoints_text += (endpoints_text.empty() ? "" : " ") + endpoint.to_string();
      }
      detail["endpoints"] = std::move(endpoints);
    }
    spdlog::info("upstream {}: {}{}", event.upstream,
                 upstream == nullptr ? std::string("deleted") : "endpoints [" + endpoints_text + "]",
                 by_text(origin_));
  }
  events_.record(event.kind, event.route, std::move(detail));
}

void ControlState::record_event(std::string_view kind, std::string route, json::object detail) {
  events_.record(kind, std::move(route), std::move(detail));
}

}  // namespace switchyard::proxy::admin
