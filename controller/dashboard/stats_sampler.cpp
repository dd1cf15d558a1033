// The dashboard's sampling thread: split and stats of every app route, once per interval.
#include "controller/dashboard/stats_sampler.hpp"

#include <algorithm>
#include <memory>
#include <set>

#include <boost/json.hpp>

#include "controller/proxies/proxy_fleet.hpp"

namespace switchyard::controller::dashboard {

namespace json = boost::json;

namespace {

// Short: a proxy that does not answer must not stretch the one-second rhythm much.
constexpr std::chrono::milliseconds kProxyTimeout{800};

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double number_of(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_number() ? value->to_number<double>() : 0.0;
}

// The route's split and guard state from one proxy's GET /v1/routes/{route} answer.
void read_route(const json::value& body, RouteSeries& into) {
  const auto* route = body.if_object();
  if (!route) return;
  if (const auto* split = route->if_contains("split"); split && split->is_array()) {
    for (const auto& entry : split->get_array()) {
      const auto* e = entry.if_object();
      const auto* version = e ? e->if_contains("version") : nullptr;
      if (!version || !version->is_string()) continue;
      into.split.push_back({std::string(version->get_string()), static_cast<std::uint32_t>(number_of(*e, "weight"))});
    }
  }
  if (const auto* guard = route->if_contains("guard"); guard && guard->is_object()) {
    if (const auto* state = guard->get_object().if_contains("state"); state && state->is_string()) {
      into.guard = std::string(state->get_string());
    }
  }
}

struct Sums {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  double p99 = 0;
};

// Adds one proxy's GET /v1/routes/{route}/stats answer to `sums`; its window in `window_ms`.
void add_stats(const json::value& body, std::map<std::string, Sums>& sums, std::uint32_t& window_ms) {
  const auto* stats = body.if_object();
  if (!stats) return;
  window_ms = std::max(window_ms, static_cast<std::uint32_t>(number_of(*stats, "window_ms")));
  const auto* versions = stats->if_contains("versions");
  if (!versions || !versions->is_object()) return;
  for (const auto& [version, figures] : versions->get_object()) {
    const auto* f = figures.if_object();
    if (!f) continue;
    auto& sum = sums[std::string(version)];
    sum.requests += static_cast<std::uint64_t>(number_of(*f, "requests"));
    sum.errors += static_cast<std::uint64_t>(number_of(*f, "errors"));
    sum.p99 = std::max(sum.p99, number_of(*f, "p99_ms"));
  }
}

std::vector<std::string> routes_of(const config::ControllerConfig& config) {
  std::set<std::string> routes;
  for (const auto& app : config.apps) routes.insert(app.route);
  return {routes.begin(), routes.end()};
}

}  // namespace

StatsSampler::StatsSampler(const config::ControllerConfig& config, std::chrono::milliseconds interval)
    : config_(config), interval_(interval) {}

StatsSampler::~StatsSampler() { stop(); }

void StatsSampler::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void StatsSampler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatsSampler::run() {
  const auto routes = routes_of(config_);
  auto next = std::chrono::steady_clock::now();
  while (true) {
    for (const auto& env : config_.environments) sample_env(env, routes);
    next += interval_;
    // After a slow round (proxies not answering), start again from now rather than catch up.
    next = std::max(next, std::chrono::steady_clock::now());
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, next, [this] { return stopping_; })) return;
  }
}

void StatsSampler::sample_env(const config::EnvironmentConfig& env, const std::vector<std::string>& routes) {
  // GETs only: nothing for the drift detector's change recorder.
  proxies::ProxyFleet fleet(env.proxies, {kProxyTimeout, 8 * 1024 * 1024, false});
  for (const auto& route : routes) {
    RouteSeries latest;
    latest.proxies = fleet.size();
    for (const auto& outcome : fleet.get_route(route).outcomes) {
      if (!outcome.result.ok) continue;
      read_route(outcome.result.json, latest);
      break;
    }
    std::map<std::string, Sums> sums;
    for (const auto& outcome : fleet.get_stats(route).outcomes) {
      if (!outcome.result.ok) continue;
      ++latest.proxies_ok;
      add_stats(outcome.result.json, sums, latest.window_ms);
    }
    const auto now = wall_ms();
    if (!latest.split.empty()) latest.split_at_ms = now;
    const double window_s = latest.window_ms > 0 ? latest.window_ms / 1000.0 : 1.0;
    std::lock_guard lock(mutex_);
    auto& stored = stored_[Key{env.name, route}];
    if (latest.split.empty()) {  // no proxy answered: keep the last known split, say so
      latest.split = stored.latest.split;
      latest.guard = stored.latest.guard;
      latest.split_at_ms = stored.latest.split_at_ms;
    }
    stored.latest = std::move(latest);
    for (const auto& [version, sum] : sums) {
      SeriesPoint point;
      point.at_ms = now;
      point.requests = sum.requests;
      point.rps = static_cast<double>(sum.requests) / window_s;
      point.error_rate = sum.requests ? static_cast<double>(sum.errors) / static_cast<double>(sum.requests) : 0.0;
      point.p99_ms = sum.p99;
      auto& ring = stored.rings[version];
      ring.push_back(point);
      while (ring.size() > kPoints) ring.pop_front();
    }
    // Versions gone from the split age out with their last point.
    std::erase_if(stored.rings, [now](const auto& entry) {
      return entry.second.empty() || entry.second.back().at_ms < now - static_cast<std::int64_t>(kPoints) * 1000;
    });
  }
}

std::optional<RouteSeries> StatsSampler::series(const std::string& env, const std::string& route,
                                                std::int64_t since_ms) const {
  if (!config_.find_environment(env)) return std::nullopt;
  const auto routes = routes_of(config_);
  if (std::find(routes.begin(), routes.end(), route) == routes.end()) return std::nullopt;
  std::lock_guard lock(mutex_);
  RouteSeries out;
  out.proxies = config_.find_environment(env)->proxies.size();
  const auto found = stored_.find(Key{env, route});
  if (found == stored_.end()) return out;
  out = found->second.latest;
  for (const auto& [version, ring] : found->second.rings) {
    auto& points = out.versions[version];
    for (const auto& point : ring) {
      if (point.at_ms > since_ms) points.push_back(point);
    }
  }
  return out;
}

}  // namespace switchyard::controller::dashboard
