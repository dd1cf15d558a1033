#pragma once
// StatsSampler: the dashboard's live figures. Every second its own thread asks each environment's
// proxies for every app route's split and stats (the figures GET /v1/rollouts/{id}/live sums)
// and keeps the last 15 minutes per (environment, route, version) in ring buffers, so the
// dashboard's charts never make the API wait on a proxy.
//
// Thread: owns one sampling thread (start() .. stop()); series() may be called from any thread
// (the API's control thread) and only copies under a short lock.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/controller_config.hpp"

namespace switchyard::controller::dashboard {

// One sample of one version, summed over the environment's proxies.
struct SeriesPoint {
  std::int64_t at_ms = 0;      // wall clock
  double rps = 0;              // requests per second over the proxies' stats window
  double error_rate = 0;       // errors / requests over that window (0 without requests)
  double p99_ms = 0;           // the highest p99 among the proxies
  std::uint64_t requests = 0;  // requests in the window
};

struct SplitEntry {
  std::string version;
  std::uint32_t weight = 0;
};

// What series() answers for one (environment, route).
struct RouteSeries {
  std::vector<SplitEntry> split;   // the first answering proxy's split, as last sampled
  std::string guard;               // armed | tripped | off | "" (unknown)
  std::int64_t split_at_ms = 0;    // when the split was sampled (0: never)
  std::uint32_t window_ms = 0;     // the proxies' stats window
  std::size_t proxies = 0;         // proxies in the environment
  std::size_t proxies_ok = 0;      // proxies that answered the last sample
  std::map<std::string, std::vector<SeriesPoint>> versions;  // oldest first
};

class StatsSampler {
 public:
  static constexpr std::size_t kPoints = 900;  // 15 minutes at one point per second

  explicit StatsSampler(const config::ControllerConfig& config,
                        std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  ~StatsSampler();
  StatsSampler(const StatsSampler&) = delete;
  StatsSampler& operator=(const StatsSampler&) = delete;

  void start();
  void stop();

  // nullopt: the route is not an app route of that environment. Points after `since_ms` only.
  std::optional<RouteSeries> series(const std::string& env, const std::string& route, std::int64_t since_ms) const;

 private:
  struct Key {
    std::string env;
    std::string route;
    auto operator<=>(const Key&) const = default;
  };
  struct Stored {
    RouteSeries latest;  // split, guard, window, proxies (versions unused)
    std::map<std::string, std::deque<SeriesPoint>> rings;
  };

  void run();
  void sample_env(const config::EnvironmentConfig& env, const std::vector<std::string>& routes);

  const config::ControllerConfig& config_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<Key, Stored> stored_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace switchyard::controller::dashboard
