#pragma once
// GuardTicker: the guard's clock. Every 50 ms (on the control io_context) it sums the sliding
// window of each armed route's versions and asks GuardEvaluator for a verdict; on a breach it
// calls ControlState::mark_tripped (which publishes 100% revert_to and records the event), bumps
// switchyard_guard_trips_total and logs one line with the figures.
//
// Control-thread only. After a tripped guard is re-armed (weights or split set again, reload),
// only requests from then on are judged: the window that tripped it must not trip it again.
// Must outlive the io_context's run() or be stop()ped first.

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "proxy/stats/stats_registry.hpp"

namespace boost::asio {
class io_context;
}

namespace switchyard::proxy::admin {

class ControlState;

class GuardTicker {
 public:
  using Clock = std::function<std::int64_t()>;  // milliseconds, the clock workers record with

  GuardTicker(boost::asio::io_context& control, ControlState& state, stats::StatsRegistry& stats,
              std::chrono::milliseconds period = std::chrono::milliseconds(50),
              Clock now_ms = stats::steady_now_ms);
  GuardTicker(const GuardTicker&) = delete;
  GuardTicker& operator=(const GuardTicker&) = delete;

  void start();
  void stop();
  // One evaluation of every armed route at `now_ms` (what each tick does); returns the number of
  // routes it tripped. Tests call it directly with an injected time.
  int tick(std::int64_t now_ms);

 private:
  // After a re-arm only newer requests are judged. The window's 250 ms buckets are too coarse
  // to cut at that moment, so the bucket of the re-arm stays in and what it already held then
  // (`rearm_counts`) is subtracted: the guard is never blind for the rest of that bucket.
  struct RouteWatch {
    bool tripped = false;                                          // as last seen
    std::int64_t rearm_epoch = std::numeric_limits<std::int64_t>::min();  // bucket of the re-arm
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>, std::less<>> rearm_counts;  // requests, errors
  };
  stats::WindowSummary judged_window(const RouteWatch& watch, std::uint32_t slot, const std::string& version,
                                     std::uint32_t window_ms, std::int64_t now_ms) const;

  void schedule();

  ControlState& state_;
  stats::StatsRegistry& stats_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds period_;
  Clock now_ms_;
  bool running_ = false;
  std::map<std::string, RouteWatch, std::less<>> watch_;
};

}  // namespace switchyard::proxy::admin
