#pragma once
// InstanceDriver: the interface every instance driver implements (SPEC §6 "Drivers"): deploy N
// instances of one version of an app in one environment, tell when they are healthy, retire
// them, and re-adopt the ones recorded before a controller restart. `process` is the first
// implementation (ProcessDriver); systemd and kubernetes drivers would sit behind the same calls.
// Drivers are control-thread only; calls never throw: failures come back as values.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace switchyard::controller::drivers {

// One running instance, as the controller records it (SQLite) and hands to the proxies.
struct Instance {
  std::uint32_t index = 0;    // 0..N-1 within its deployment ({instance} in the template)
  pid_t pid = -1;             // leader of the instance's own process group
  std::uint16_t port = 0;
  std::string endpoint;       // "127.0.0.1:port": what goes into the proxy's upstream
  std::string log_path;       // stdout and stderr of the instance
  // Process start time (clock ticks since boot, /proc/PID/stat field 22). Recorded so that a
  // recycled PID is never mistaken for ours after a restart; 0 = unknown (cmdline check only).
  std::uint64_t start_time = 0;
  friend bool operator==(const Instance&, const Instance&) = default;
};

struct DeployRequest {
  std::string app;
  std::string env;
  std::string version;
  std::uint32_t count = 1;
  std::uint32_t first_index = 0;                 // rolling deploys add instances one at a time
  std::map<std::string, std::string> env_vars;   // on top of the controller's own environment
  std::string code_version{};  // {version} when it differs from `version` (config-only label "V+cfg.x")
  std::string config_file{};   // {config_file} of this deployment (empty: ProcessDriverOptions::config_file)
  // Resolved secrets (docs/secrets.md): handed over through a pipe, never logged, never in
  // argv, the environment or a file.
  std::map<std::string, std::string> secrets{};
};

struct DeployResult {
  bool ok = false;
  std::vector<Instance> instances;  // all started instances when ok; empty otherwise
  std::string error;                // why not ok (nothing is left running then)
};

struct InstanceHealth {
  std::uint32_t index = 0;
  pid_t pid = -1;
  bool healthy = false;
  std::string error;  // why not healthy: exited (with status and log tail), timeout, last answer
};

struct HealthReport {
  std::vector<InstanceHealth> instances;  // same order as the request
  bool all_healthy() const;
  std::size_t healthy_count() const;
  // The errors of the unhealthy instances, one per line; empty when all are healthy.
  std::string error() const;
};

struct AdoptResult {
  std::vector<Instance> alive;  // still running and verifiably ours: now managed by this driver
  std::vector<Instance> lost;   // gone, or the PID now belongs to another program (left alone)
  std::vector<std::string> reasons;  // one per lost instance, same order
};

class InstanceDriver {
 public:
  virtual ~InstanceDriver() = default;

  virtual DeployResult deploy(const DeployRequest& request) = 0;
  // Polls each instance's health until all are healthy, one has failed for good (exited), or
  // `timeout` has passed. Bounded by `timeout` (+ one probe).
  virtual HealthReport wait_healthy(const std::vector<Instance>& instances,
                                    std::chrono::milliseconds timeout) = 0;
  // Stops the instances: SIGTERM to each process group, SIGKILL after `grace`, then reaps them
  // and frees their ports. Bounded by `grace` + a short kill wait.
  virtual void retire(const std::vector<Instance>& instances, std::chrono::milliseconds grace) = 0;
  // After a controller restart: which recorded instances still run and are ours. Kills nothing.
  virtual AdoptResult adopt(const std::vector<Instance>& recorded) = 0;
  // Collects exited children so that none stays a zombie; cheap, call it periodically.
  virtual void reap() = 0;
};

}  // namespace switchyard::controller::drivers
