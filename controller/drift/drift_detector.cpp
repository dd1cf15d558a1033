#include "controller/drift/drift_detector.hpp"

#include <ctime>

#include <spdlog/spdlog.h>

#include "controller/proxies/proxy_client.hpp"

namespace switchyard::controller::drift {
namespace {

// "2024-05-01T12:34:56.789Z" -> wall ms; 0 when unreadable.
std::int64_t rfc3339_ms(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &millis) != 7) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + millis;
}

bool changes_config(const std::string& kind) {
  return kind == "weights_changed" || kind == "split_changed" || kind == "reverted" ||
         kind == "upstream_changed" || kind == "config_reloaded" || kind == "guard_tripped";
}

// Puts the desired upstreams and splits back; the caller holds the proxy's change lock.
void put_back(proxies::ProxyClient& client, const DesiredState& desired, const DesiredState& actual) {
  for (const auto& name : drifted_upstreams(desired, actual)) {
    auto put = client.put_upstream(name, desired.upstreams.at(name));
    if (!put.ok) spdlog::warn("drift remediation: upstream {} on {}: {}", name, client.name(), put.error);
  }
  for (const auto& route : drifted_routes(desired, actual)) {
    auto put = client.put_split(route, desired.routes.at(route));
    if (!put.ok) spdlog::warn("drift remediation: route {} on {}: {}", route, client.name(), put.error);
  }
}

}  // namespace

std::set<std::string> managed_routes(const config::ControllerConfig& config) {
  std::set<std::string> routes;
  for (const auto& app : config.apps) routes.insert(app.route);
  return routes;
}

void register_proxies(const config::ControllerConfig& config, DriftRegistry& registry) {
  for (const auto& env : config.environments) {
    for (const auto& target : env.proxies) registry.add_proxy(env.name, target.admin.to_string(), env.remediate == "auto");
  }
}

DriftDetector::DriftDetector(const config::ControllerConfig& config, DriftRegistry& registry) : registry_(registry) {
  for (const auto& env : config.environments) {
    for (const auto& target : env.proxies) {
      threads_.emplace_back([this, name = env.name, target, interval = env.drift_interval_ms] {
        watch(name, target, interval);
      });
    }
  }
}

DriftDetector::~DriftDetector() { stop(); }

void DriftDetector::stop() {
  stopping_ = true;
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

bool DriftDetector::pause_for(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
  return !stopping_;
}

void DriftDetector::watch(std::string env, config::ProxyTarget target, std::uint32_t interval_ms) {
  proxies::ProxyClientOptions options;
  options.timeout = std::chrono::milliseconds(1000);
  options.record_changes = false;
  proxies::ProxyClient events(target, options);
  proxies::ProxyClient client(target, options);
  const auto proxy = target.admin.to_string();
  const auto interval = std::chrono::milliseconds(interval_ms);
  // Events recorded before we started are history, not news.
  std::uint64_t since = events.events(0).next;
  auto take_events = [&](std::uint32_t wait_ms) {
    auto got = events.events(since, wait_ms);
    if (!got.result.ok) return false;
    since = got.next;  // after a proxy restart the proxy reads a stale `since` as 0
    for (const auto& event : got.events) {
      if (event.kind == "guard_tripped") registry_.guard_tripped(env, proxy, event.route);
      if (changes_config(event.kind)) registry_.changed_at(env, proxy, rfc3339_ms(event.time));
    }
    return true;
  };
  while (!stopping_) {
    const auto generation = registry_.generation(proxy);
    auto current = client.get_config();
    if (!current.result.ok) {
      registry_.unreachable(env, proxy, current.result.error);
      if (!pause_for(interval)) return;
      take_events(0);
      continue;
    }
    take_events(0);  // a guard trip recorded with this config must be known before judging it
    auto verdict = registry_.observe(env, proxy, generation, current.hash, current.config);
    if (verdict.kind == Verdict::Kind::retry) {
      if (!pause_for(std::chrono::milliseconds(20))) return;
      continue;
    }
    if (verdict.remediate) {
      auto held = registry_.hold(proxy);
      auto desired = registry_.desired(env, proxy);
      auto now = client.get_config();
      if (desired && now.result.ok) {
        put_back(client, *desired, all_from_config(now.config));
        auto after = client.get_config();
        if (after.result.ok) registry_.remediated(env, proxy, after.hash, after.config);
      }
    }
    // Waits for the proxy's next event (a change) or the interval, whichever comes first.
    if (!take_events(interval_ms) && !pause_for(interval)) return;
  }
}

}  // namespace switchyard::controller::drift
