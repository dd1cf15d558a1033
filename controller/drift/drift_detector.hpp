#pragma once
// DriftDetector: one thread per proxy of every environment compares the proxy's configuration
// (GET /v1/config) with the DriftRegistry's desired state - every `drift.interval_ms` and at
// once on any proxy event (its own GET /v1/events long poll returns as soon as the proxy records
// a change) - and, in a `remediate: auto` environment, puts the desired state back while holding
// the proxy's change lock. Each thread has its own two ProxyClients (events, config) that do not
// report to the ChangeRecorder: a remediation is recorded as such, not as a controller change.
// Thread: constructed and stopped by the control thread; stop() joins (bounded by one poll).

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/controller_config.hpp"
#include "controller/drift/drift_registry.hpp"

namespace switchyard::controller::drift {

class DriftDetector {
 public:
  DriftDetector(const config::ControllerConfig& config, DriftRegistry& registry);
  ~DriftDetector();
  DriftDetector(const DriftDetector&) = delete;
  DriftDetector& operator=(const DriftDetector&) = delete;

  void stop();

 private:
  void watch(std::string env, config::ProxyTarget target, std::uint32_t interval_ms);
  bool pause_for(std::chrono::milliseconds delay);  // false when stopping

  DriftRegistry& registry_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::thread> threads_;
};

// The controller-managed routes of a configuration (every app's route).
std::set<std::string> managed_routes(const config::ControllerConfig& config);
// Registers every proxy of every environment with its remediation mode.
void register_proxies(const config::ControllerConfig& config, DriftRegistry& registry);

}  // namespace switchyard::controller::drift
