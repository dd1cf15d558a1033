#include "controller/drift/desired_state.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace switchyard::controller::drift {
namespace {

namespace json = boost::json;

std::string text(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string{};
}

std::uint32_t weight_of(const json::object& object) {
  const auto* value = object.if_contains("weight");
  if (value == nullptr) return 0;
  if (value->is_uint64()) return static_cast<std::uint32_t>(value->get_uint64());
  if (value->is_int64() && value->get_int64() >= 0) return static_cast<std::uint32_t>(value->get_int64());
  return 0;
}

const json::array* list(const json::value& config, const char* key) {
  const auto* object = config.if_object();
  const auto* value = object != nullptr ? object->if_contains(key) : nullptr;
  return value != nullptr ? value->if_array() : nullptr;
}

std::vector<config::SplitEntry> split_from(const json::object& route) {
  std::vector<config::SplitEntry> out;
  const auto* split = route.if_contains("split");
  if (split == nullptr || !split->is_array()) return out;
  for (const auto& entry : split->get_array()) {
    if (const auto* object = entry.if_object()) out.push_back({text(*object, "version"), text(*object, "upstream"), weight_of(*object)});
  }
  return out;
}

std::vector<std::string> endpoints_from(const json::object& upstream) {
  std::vector<std::string> out;
  const auto* endpoints = upstream.if_contains("endpoints");
  if (endpoints == nullptr || !endpoints->is_array()) return out;
  for (const auto& endpoint : endpoints->get_array()) {
    if (endpoint.is_string()) out.emplace_back(endpoint.get_string());
  }
  return out;
}

const config::SplitEntry* find_version(const std::vector<config::SplitEntry>& split, const std::string& version) {
  for (const auto& entry : split) {
    if (entry.version == version) return &entry;
  }
  return nullptr;
}

void diff_route(const std::string& name, const std::vector<config::SplitEntry>& want,
                const std::vector<config::SplitEntry>& have, std::vector<std::string>& out) {
  const std::string prefix = "route " + name + ": ";
  for (const auto& entry : want) {
    const auto* actual = find_version(have, entry.version);
    if (actual == nullptr) {
      out.push_back(prefix + "version " + entry.version + " missing (desired weight " + std::to_string(entry.weight) + ")");
      continue;
    }
    if (actual->weight != entry.weight) {
      out.push_back(prefix + "weight " + entry.version + " desired " + std::to_string(entry.weight) + ", actual " +
                    std::to_string(actual->weight));
    }
    if (actual->upstream != entry.upstream) {
      out.push_back(prefix + "upstream of " + entry.version + " desired " + entry.upstream + ", actual " + actual->upstream);
    }
  }
  for (const auto& entry : have) {
    if (find_version(want, entry.version) == nullptr) {
      out.push_back(prefix + "version " + entry.version + " unexpected (weight " + std::to_string(entry.weight) + ")");
    }
  }
}

void diff_upstream(const std::string& name, std::vector<std::string> want, std::vector<std::string> have,
                   std::vector<std::string>& out) {
  std::sort(want.begin(), want.end());
  std::sort(have.begin(), have.end());
  std::vector<std::string> missing;
  std::vector<std::string> unexpected;
  std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(missing));
  std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(unexpected));
  if (missing.empty() && unexpected.empty()) return;
  auto join = [](const std::vector<std::string>& items) {
    std::string joined;
    for (const auto& item : items) joined += (joined.empty() ? "" : " ") + item;
    return joined;
  };
  std::string line = "upstream " + name + ": ";
  if (!missing.empty()) line += "endpoint " + join(missing) + " missing";
  if (!missing.empty() && !unexpected.empty()) line += ", ";
  if (!unexpected.empty()) line += join(unexpected) + " unexpected";
  out.push_back(line);
}

}  // namespace

DesiredState all_from_config(const json::value& config) {
  DesiredState out;
  if (const auto* routes = list(config, "routes")) {
    for (const auto& route : *routes) {
      if (const auto* object = route.if_object()) out.routes[text(*object, "name")] = split_from(*object);
    }
  }
  if (const auto* upstreams = list(config, "upstreams")) {
    for (const auto& upstream : *upstreams) {
      if (const auto* object = upstream.if_object()) out.upstreams[text(*object, "name")] = endpoints_from(*object);
    }
  }
  return out;
}

DesiredState managed_from_config(const json::value& config, const std::set<std::string>& routes) {
  const auto all = all_from_config(config);
  DesiredState out;
  for (const auto& [name, split] : all.routes) {
    if (routes.contains(name)) out.routes[name] = split;
  }
  adopt_missing_upstreams(out, all);
  return out;
}

void apply_change(DesiredState& desired, const proxies::ProxyChange& change) {
  using Kind = proxies::ProxyChange::Kind;
  switch (change.kind) {
    case Kind::weights: {
      auto route = desired.routes.find(change.route);
      if (route == desired.routes.end()) return;  // not managed
      for (auto& entry : route->second) {
        if (auto weight = change.weights.find(entry.version); weight != change.weights.end()) entry.weight = weight->second;
      }
      return;
    }
    case Kind::split: desired.routes[change.route] = change.split; return;
    case Kind::upstream_put: desired.upstreams[change.upstream] = change.endpoints; return;
    case Kind::upstream_delete: desired.upstreams.erase(change.upstream); return;
  }
}

void adopt_missing_upstreams(DesiredState& desired, const DesiredState& actual) {
  for (const auto& [route, split] : desired.routes) {
    for (const auto& entry : split) {
      if (desired.upstreams.contains(entry.upstream)) continue;
      if (auto found = actual.upstreams.find(entry.upstream); found != actual.upstreams.end()) {
        desired.upstreams[entry.upstream] = found->second;
      }
    }
  }
}

std::vector<std::string> diff(const DesiredState& desired, const DesiredState& actual) {
  std::vector<std::string> out;
  for (const auto& [name, want] : desired.routes) {
    auto have = actual.routes.find(name);
    if (have == actual.routes.end()) {
      out.push_back("route " + name + ": missing");
      continue;
    }
    diff_route(name, want, have->second, out);
  }
  for (const auto& [name, want] : desired.upstreams) {
    auto have = actual.upstreams.find(name);
    if (have == actual.upstreams.end()) {
      out.push_back("upstream " + name + ": missing");
      continue;
    }
    diff_upstream(name, want, have->second, out);
  }
  return out;
}

std::set<std::string> drifted_routes(const DesiredState& desired, const DesiredState& actual) {
  std::set<std::string> out;
  for (const auto& [name, want] : desired.routes) {
    std::vector<std::string> lines;
    auto have = actual.routes.find(name);
    if (have != actual.routes.end()) diff_route(name, want, have->second, lines);
    if (have != actual.routes.end() && !lines.empty()) out.insert(name);
  }
  return out;
}

std::set<std::string> drifted_upstreams(const DesiredState& desired, const DesiredState& actual) {
  std::set<std::string> out;
  for (const auto& [name, want] : desired.upstreams) {
    std::vector<std::string> lines;
    auto have = actual.upstreams.find(name);
    if (have != actual.upstreams.end()) diff_upstream(name, want, have->second, lines);
    if (have == actual.upstreams.end() || !lines.empty()) out.insert(name);
  }
  return out;
}

json::value to_json(const DesiredState& state) {
  json::object routes;
  for (const auto& [name, split] : state.routes) {
    json::array entries;
    for (const auto& entry : split) {
      entries.push_back({{"version", entry.version}, {"upstream", entry.upstream}, {"weight", entry.weight}});
    }
    routes[name] = std::move(entries);
  }
  json::object upstreams;
  for (const auto& [name, endpoints] : state.upstreams) upstreams[name] = json::array(endpoints.begin(), endpoints.end());
  return json::object{{"routes", std::move(routes)}, {"upstreams", std::move(upstreams)}};
}

}  // namespace switchyard::controller::drift
