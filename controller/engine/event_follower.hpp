#pragma once
// EventFollower: instant reaction (issue 4 §5). One thread per proxy follows that proxy's
// GET /v1/events long poll with its own ProxyClient, and reports each `guard_tripped` event
// through `on_trip(env, route, reason)` - called ON THE FOLLOWER THREAD: the callback posts to the
// control thread. Events recorded before the follower started are skipped (not re-acted upon).
// Thread: constructed and destroyed by the control thread; stop() joins the threads (bounded by
// one poll: wait_ms + the client timeout).

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/controller_config.hpp"

namespace switchyard::controller::engine {

using TripCallback = std::function<void(const std::string& env, const std::string& route, const std::string& reason)>;

class EventFollower {
 public:
  EventFollower(const config::ControllerConfig& config, TripCallback on_trip, std::uint32_t wait_ms = 1000);
  ~EventFollower();
  EventFollower(const EventFollower&) = delete;
  EventFollower& operator=(const EventFollower&) = delete;

  void stop();

 private:
  void follow(std::string env, config::ProxyTarget target);
  bool pause_for(std::chrono::milliseconds delay);  // false when stopping

  TripCallback on_trip_;
  std::uint32_t wait_ms_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::thread> threads_;
};

}  // namespace switchyard::controller::engine
