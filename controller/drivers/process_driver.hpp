#pragma once
// ProcessDriver: the `process` instance driver (SPEC §6). Each instance is a local process
// started from DriverConfig::command (see CommandTemplate: no shell unless the template names
// one), in its own process group, on a port from the `ports:` range, with the request's env_vars
// on top of the controller's environment, stdout+stderr appended to
// <log_dir>/<app>-<env>-<version>-<index>.log. Health is `GET health_path` on 127.0.0.1:port.
//
// Blocking by design, every call bounded: deploy (fork/exec only), wait_healthy (its timeout),
// retire (grace + 2 s). The controller calls them from its control thread between Asio events;
// the longest stall is the health timeout or the stop grace it chose.
//
// Only instances this object started or adopted are ever signalled: retire() ignores unknown
// PIDs, so a stale record can never kill an unrelated process.
// Control-thread only (not thread-safe). Destruction leaves instances running (they outlive a
// controller restart on purpose and are re-adopted).

#include <map>
#include <optional>
#include <string>

#include "config/controller_config.hpp"
#include "controller/drivers/command_template.hpp"
#include "controller/drivers/instance_driver.hpp"
#include "controller/drivers/port_allocator.hpp"

namespace switchyard::controller::drivers {

struct ProcessDriverOptions {
  config::DriverConfig driver;
  std::string log_dir = ".";                           // created when missing
  std::string config_file;                             // value of {config_file}
  std::chrono::milliseconds poll_interval{50};         // between health probes
  std::chrono::milliseconds probe_timeout{500};        // one health probe
  std::chrono::milliseconds kill_wait{2000};           // after SIGKILL, for the group to vanish
};

class ProcessDriver final : public InstanceDriver {
 public:
  explicit ProcessDriver(ProcessDriverOptions options);

  // False when the command template does not parse; every deploy then fails with error().
  bool valid() const { return template_error_.empty(); }
  const std::string& template_error() const { return template_error_; }

  DeployResult deploy(const DeployRequest& request) override;
  HealthReport wait_healthy(const std::vector<Instance>& instances,
                            std::chrono::milliseconds timeout) override;
  void retire(const std::vector<Instance>& instances, std::chrono::milliseconds grace) override;
  AdoptResult adopt(const std::vector<Instance>& recorded) override;
  void reap() override;

  // Instances currently managed (started or adopted, not yet retired).
  std::size_t managed_count() const { return managed_.size(); }
  // The exit description of a managed instance that has exited ("exited with code 1"), if any.
  std::optional<std::string> exit_of(pid_t pid) const;
  const PortAllocator& ports() const { return ports_; }

 private:
  struct Managed {
    Instance instance;
    bool child = true;                  // started by this object (waitpid works) or adopted
    std::optional<std::string> exited;  // set once reaped
  };

  std::optional<Instance> start_one(const DeployRequest& request, std::uint32_t index,
                                    std::string& error);
  std::string log_path_for(const DeployRequest& request, std::uint32_t index) const;
  // Health of one instance: nullopt while still pending.
  std::optional<InstanceHealth> check_once(const Instance& instance, std::string& last_error);
  bool gone(Managed& managed);
  void signal_group(const Managed& managed, int signo);
  bool wait_all_gone(std::vector<Managed*>& stopping, std::chrono::milliseconds limit);
  std::optional<std::string> ownership_problem(const Instance& recorded) const;

  ProcessDriverOptions options_;
  CommandTemplate template_;
  std::string template_error_;
  PortAllocator ports_;
  std::map<pid_t, Managed> managed_;
};

}  // namespace switchyard::controller::drivers
