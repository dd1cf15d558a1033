#include "controller/engine/event_follower.hpp"

#include <spdlog/spdlog.h>

#include "controller/proxies/proxy_client.hpp"

namespace switchyard::controller::engine {

EventFollower::EventFollower(const config::ControllerConfig& config, TripCallback on_trip, std::uint32_t wait_ms)
    : on_trip_(std::move(on_trip)), wait_ms_(wait_ms) {
  for (const auto& env : config.environments) {
    for (const auto& proxy : env.proxies) threads_.emplace_back([this, name = env.name, proxy] { follow(name, proxy); });
  }
}

EventFollower::~EventFollower() { stop(); }

void EventFollower::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

bool EventFollower::pause_for(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void EventFollower::follow(std::string env, config::ProxyTarget target) {
  proxies::ProxyClient client(target);
  bool positioned = false;  // `since` points past the events that existed when we started
  std::uint64_t since = 0;
  while (!stopping_) {
    auto answer = client.events(since, positioned ? wait_ms_ : 0);
    if (!answer.result.ok) {
      // Proxy down or restarting: try again soon; its new log starts over.
      positioned = false;
      since = 0;
      if (!pause_for(std::chrono::milliseconds(500))) return;
      continue;
    }
    if (positioned) {
      for (const auto& event : answer.events) {
        if (event.kind != "guard_tripped" || event.route.empty()) continue;
        std::string reason = "proxy " + client.name();
        if (const auto* fields = event.fields.if_object()) {
          if (const auto* why = fields->if_contains("reason"); why && why->is_string()) {
            reason += ": " + std::string(why->get_string());
          }
        }
        on_trip_(env, event.route, reason);
      }
    }
    positioned = true;
    if (answer.next > since) since = answer.next;
  }
}

}  // namespace switchyard::controller::engine
