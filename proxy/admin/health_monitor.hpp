#pragma once
// HealthMonitor: the control thread's clock for endpoint health (docs/health.md). Every tick
// (50 ms by default, on the control io_context) it walks the snapshot in force and, per endpoint:
//  - active health: applies finished checks (HealthProbe) and starts due ones for upstreams
//    with a health_check;
//  - passive health: ejects an endpoint whose consecutive-failure count (reported by workers)
//    reached the upstream's outlier_detection threshold, ends expired ejections, and never
//    ejects the last usable endpoint of an upstream (a warning line instead);
//  - publishes the result to workers through EndpointHealth's usable flag, and records an
//    endpoint_down / endpoint_up event and a log line whenever that flag changes.
// Endpoints added by a reload or PUT /v1/upstreams are checked from the next tick; removed ones
// are no longer walked, so their checks stop.
//
// Control-thread only. Must outlive the io_context's run() or be stop()ped first.

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>

#include "config/proxy_config.hpp"
#include "proxy/routing/route_table.hpp"

namespace boost::asio {
class io_context;
}

namespace switchyard::proxy::admin {

class ControlState;

class HealthMonitor {
 public:
  using Clock = std::function<std::int64_t()>;  // steady milliseconds

  HealthMonitor(boost::asio::io_context& control, ControlState& state,
                std::chrono::milliseconds period = std::chrono::milliseconds(50), Clock now_ms = {});
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  void start();
  void stop();
  // One pass over every endpoint at `now_ms` (what each tick does). Tests call it directly.
  void tick(std::int64_t now_ms);

 private:
  void schedule();
  void check_endpoint(const routing::Upstream& upstream, const config::UpstreamConfig& config, std::size_t index,
                      std::int64_t now_ms);
  void active_step(const routing::Endpoint& endpoint, const config::UpstreamConfig& config, std::int64_t now_ms);
  void passive_step(const routing::Upstream& upstream, const config::UpstreamConfig& config, std::size_t index,
                    std::int64_t now_ms);
  // Records an endpoint_down/endpoint_up event when the usable flag changed.
  void publish(const routing::Upstream& upstream, const routing::Endpoint& endpoint, const char* reason);

  boost::asio::io_context& control_;
  ControlState& state_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds period_;
  Clock now_ms_;
  bool running_ = false;
};

}  // namespace switchyard::proxy::admin
