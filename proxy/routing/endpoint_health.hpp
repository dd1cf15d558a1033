#pragma once
// EndpointHealth: the live health of one upstream endpoint, shared by the control thread and
// every worker. Held by shared_ptr from each routing::Endpoint and carried over across snapshot
// rebuilds by (upstream name, endpoint key), so health survives weight changes and reloads.
//
// Threads: `usable_` is written by the control thread only (health checks, ejections) and read
// by workers with one relaxed load per endpoint considered. `consecutive_failures_` is the
// passive-health counter that workers bump on a failed exchange and clear on a success; the
// control thread reads it on its ticker and decides ejections. Everything in `control` is
// control-thread only (admin API, health monitor). The shared atomics sit on their own cache
// line so that workers writing one endpoint's counter do not slow readers of another.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "config/proxy_config.hpp"

namespace switchyard::proxy::routing {

// The outcome of one active check, left by the probe for the monitor's next tick.
struct ProbeResult {
  bool ok = false;
  std::string error;  // empty when ok
};

// Control-thread-only health bookkeeping of one endpoint (see endpoint_health_rules.hpp).
struct EndpointControlState {
  // Active health: starts healthy (a new endpoint takes traffic at once and is judged by checks).
  bool active_healthy = true;
  std::uint32_t check_successes = 0;  // consecutive passing checks
  std::uint32_t check_failures = 0;   // consecutive failing checks
  std::string last_error;             // of the last failed check or ejection; empty = none
  std::int64_t last_check_ms = -1;    // steady ms of the last finished check; -1 = never
  std::int64_t next_check_ms = 0;     // when the next check starts
  bool probe_in_flight = false;
  std::optional<ProbeResult> probe_result;  // finished, not yet applied

  // Passive health (outlier ejection).
  bool ejected = false;
  std::uint32_t ejections = 0;        // times ejected; decays (see rules)
  std::int64_t ejected_until_ms = 0;
  std::int64_t usable_since_ms = 0;   // last time an ejection ended (decay reference)
  bool last_endpoint_warned = false;  // "not ejecting the last usable endpoint" logged once per streak
};

class alignas(64) EndpointHealth {
 public:
  // Worker side: the per-request read. A relaxed load: a decision a few microseconds stale is
  // harmless, and the control thread publishes nothing else through this flag.
  bool usable() const { return usable_.load(std::memory_order_relaxed); }

  // Worker side: outcomes of exchanges. A success writes only when there is something to clear,
  // so that healthy traffic from many workers does not bounce the cache line between cores.
  void report_success() {
    if (consecutive_failures_.load(std::memory_order_relaxed) != 0)
      consecutive_failures_.store(0, std::memory_order_relaxed);
  }
  void report_failure() { consecutive_failures_.fetch_add(1, std::memory_order_relaxed); }

  // Control side.
  std::uint32_t consecutive_failures() const { return consecutive_failures_.load(std::memory_order_relaxed); }
  void clear_failures() { consecutive_failures_.store(0, std::memory_order_relaxed); }
  // Stores only on change: the flag's cache line is read by every worker.
  void set_usable(bool usable) {
    if (usable_.load(std::memory_order_relaxed) != usable) usable_.store(usable, std::memory_order_relaxed);
  }
  // The usable flag as the control thread derives it: actively healthy and not ejected.
  void refresh_usable() { set_usable(control.active_healthy && !control.ejected); }

  EndpointControlState control;  // control thread only

 private:
  std::atomic<bool> usable_{true};
  std::atomic<std::uint32_t> consecutive_failures_{0};
};

// Per-upstream counters shared by every worker: circuit breakers and their overflow counts.
// Thread-safe (relaxed atomics). `connections` moves only when a connection opens or closes;
// `requests` only when the upstream has max_requests; overflow counters only on overflow.
struct alignas(64) UpstreamRuntime {
  std::atomic<std::uint32_t> connections{0};
  std::atomic<std::uint32_t> pending{0};
  std::atomic<std::uint32_t> requests{0};
  std::atomic<std::uint64_t> overflow_connections{0};  // kind="max_connections"
  std::atomic<std::uint64_t> overflow_pending{0};      // kind="max_pending"
  std::atomic<std::uint64_t> overflow_requests{0};     // kind="max_requests"
};

}  // namespace switchyard::proxy::routing
