#include "proxy/routing/route_table.hpp"

#include <algorithm>
#include <unordered_map>

namespace switchyard::proxy::routing {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

// "[::1]:8080" -> "::1", "[::1]" -> "::1", "a.example:80" -> "a.example"; a bare IPv6 literal
// (several colons, no brackets) is left whole.
std::string_view strip_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    return close == std::string_view::npos ? host.substr(1) : host.substr(1, close - 1);
  }
  const std::size_t colon = host.find(':');
  if (colon != std::string_view::npos && host.find(':', colon + 1) == std::string_view::npos) {
    return host.substr(0, colon);
  }
  return host;
}

bool equals_lower(std::string_view request_host, std::string_view route_host) {
  if (request_host.size() != route_host.size()) return false;
  for (std::size_t i = 0; i < route_host.size(); ++i) {
    if (lower(request_host[i]) != route_host[i]) return false;
  }
  return true;
}

std::string endpoint_key(const config::HostPort& hp) {
  const bool v6 = hp.host.find(':') != std::string::npos;
  std::string key = v6 ? "[" + hp.host + "]" : hp.host;
  key += ':';
  key += std::to_string(hp.port);
  return key;
}

std::shared_ptr<EndpointHealth> carried_health(const Upstream* old, const std::string& key) {
  if (old != nullptr) {
    for (const auto& endpoint : old->endpoints) {
      if (endpoint.key == key && endpoint.health) return endpoint.health;
    }
  }
  return std::make_shared<EndpointHealth>();
}

Upstream build_upstream(const config::UpstreamConfig& config, const Upstream* old) {
  Upstream upstream;
  upstream.name = config.name;
  upstream.max_connections = config.max_connections;
  upstream.max_pending = config.max_pending;
  upstream.max_requests = config.max_requests;
  upstream.runtime = old != nullptr && old->runtime ? old->runtime : std::make_shared<UpstreamRuntime>();
  upstream.endpoints.reserve(config.endpoints.size());
  for (const auto& hp : config.endpoints) {
    std::string key = endpoint_key(hp);
    auto health = carried_health(old, key);
    upstream.endpoints.push_back(Endpoint{hp.host, hp.port, std::move(key), true, std::move(health)});
  }
  return upstream;
}

Route build_route(const config::RouteConfig& config, std::uint32_t index,
                  const std::unordered_map<std::string, std::uint32_t>& upstream_index,
                  const RouteTable* previous) {
  Route route;
  route.name = config.name;
  route.index = index;
  route.host = to_lower(strip_port(config.match.host));
  route.path_prefix = config.match.path_prefix;
  route.sticky = config.sticky;
  route.override_header = to_lower(config.override_header);
  std::vector<std::string> names;
  std::vector<std::uint32_t> weights;
  for (const auto& entry : config.split) {
    const auto it = upstream_index.find(entry.upstream);
    const std::uint32_t upstream = it == upstream_index.end() ? kNoUpstream : it->second;
    route.versions.push_back(Version{entry.version, upstream, entry.weight});
    names.push_back(entry.version);
    weights.push_back(entry.weight);
  }
  const Route* old = previous != nullptr ? previous->find_route(config.name) : nullptr;
  route.cohorts = CohortTable::build(names, weights, old != nullptr ? &old->cohorts : nullptr);
  return route;
}

}  // namespace

std::optional<std::uint16_t> Route::find_version(std::string_view name) const {
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (versions[i].name == name) return static_cast<std::uint16_t>(i);
  }
  return std::nullopt;
}

std::shared_ptr<const RouteTable> RouteTable::build(const config::ProxyConfig& config,
                                                    const RouteTable* previous,
                                                    std::uint64_t generation,
                                                    const StatsSlotAssigner& stats_slots) {
  auto table = std::make_shared<RouteTable>();
  table->generation_ = generation;
  std::unordered_map<std::string, std::uint32_t> upstream_index;
  for (const auto& upstream : config.upstreams) {
    upstream_index.emplace(upstream.name, static_cast<std::uint32_t>(table->upstreams_.size()));
    const Upstream* old = previous != nullptr ? previous->find_upstream(upstream.name) : nullptr;
    table->upstreams_.push_back(build_upstream(upstream, old));
  }
  table->routes_.reserve(config.routes.size());
  for (const auto& route : config.routes) {
    const auto index = static_cast<std::uint32_t>(table->routes_.size());
    table->routes_.push_back(build_route(route, index, upstream_index, previous));
    if (stats_slots) {
      for (auto& version : table->routes_.back().versions) version.stats_slot = stats_slots(route.name, version.name);
    }
  }
  return table;
}

const Route* RouteTable::match(std::string_view host, std::string_view path) const {
  const std::string_view bare_host = strip_port(host);
  for (const auto& route : routes_) {
    if (!route.host.empty() && !equals_lower(bare_host, route.host)) continue;
    if (path.substr(0, route.path_prefix.size()) != route.path_prefix) continue;
    return &route;
  }
  return nullptr;
}

const Upstream* RouteTable::find_upstream(std::string_view name) const {
  for (const auto& upstream : upstreams_) {
    if (upstream.name == name) return &upstream;
  }
  return nullptr;
}

const Route* RouteTable::find_route(std::string_view name) const {
  for (const auto& route : routes_) {
    if (route.name == name) return &route;
  }
  return nullptr;
}

}  // namespace switchyard::proxy::routing
