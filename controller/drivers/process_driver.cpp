#include "controller/drivers/process_driver.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "controller/drivers/process_probe.hpp"
#include "controller/drivers/secrets_payload.hpp"
#include "controller/drivers/process_spawn.hpp"

namespace switchyard::controller::drivers {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The last `bytes` of a log file, for error messages about an instance that died.
std::string log_tail(const std::string& path, std::size_t bytes = 300) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const auto size = static_cast<std::size_t>(in.tellg());
  const auto start = size > bytes ? size - bytes : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string text(size - start, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string basename_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "19000", "--port=19000" or "127.0.0.1:19000" name the port; "190001" does not.
bool names_port(const std::string& arg, const std::string& port) {
  if (arg == port) return true;
  if (arg.size() <= port.size() || arg.compare(arg.size() - port.size(), port.size(), port) != 0) {
    return false;
  }
  const char before = arg[arg.size() - port.size() - 1];
  return before == '=' || before == ':';
}

milliseconds until(Clock::time_point deadline) {
  return std::max(milliseconds(0),
                  std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
}

}  // namespace

ProcessDriver::ProcessDriver(ProcessDriverOptions options)
    : options_(std::move(options)),
      ports_(options_.driver.port_min, options_.driver.port_max) {
  CommandTemplate::parse(options_.driver.command, template_, template_error_);
}

std::string ProcessDriver::log_path_for(const DeployRequest& request, std::uint32_t index) const {
  return options_.log_dir + "/" + request.app + "-" + request.env + "-" + request.version + "-" +
         std::to_string(index) + ".log";
}

std::optional<Instance> ProcessDriver::start_one(const DeployRequest& request,
                                                 std::uint32_t index, std::string& error) {
  const auto port = ports_.allocate(error);
  if (!port) return std::nullopt;
  const auto argv = template_.expand({{"port", std::to_string(*port)},
                                      {"version", request.code_version.empty() ? request.version : request.code_version},
                                      {"env", request.env},
                                      {"instance", std::to_string(index)},
                                      {"config_file", request.config_file.empty() ? options_.config_file : request.config_file}});
  Instance instance;
  instance.index = index;
  instance.port = *port;
  instance.endpoint = "127.0.0.1:" + std::to_string(*port);
  instance.log_path = log_path_for(request, index);
  auto secrets = secrets_payload(request.secrets);
  const auto spawned = spawn_process(argv, request.env_vars, instance.log_path, secrets);
  wipe_bytes(secrets);
  if (spawned.pid <= 0) {
    ports_.release(*port);
    error = "instance " + std::to_string(index) + ": " + spawned.error;
    return std::nullopt;
  }
  instance.pid = spawned.pid;
  instance.start_time = process_start_time(spawned.pid);
  managed_[spawned.pid] = Managed{instance, true, std::nullopt};
  spdlog::info("driver: started {}-{}-{} #{} pid {} on {} (log {})", request.app, request.env,
               request.version, index, instance.pid, instance.endpoint, instance.log_path);
  return instance;
}

DeployResult ProcessDriver::deploy(const DeployRequest& request) {
  DeployResult result;
  if (!valid()) {
    result.error = template_error_;
    return result;
  }
  std::error_code ec;
  std::filesystem::create_directories(options_.log_dir, ec);
  if (ec) {
    result.error = "cannot create log directory " + options_.log_dir + ": " + ec.message();
    return result;
  }
  for (std::uint32_t i = 0; i < request.count; ++i) {
    auto instance = start_one(request, request.first_index + i, result.error);
    if (!instance) {
      // All or nothing: a half deployment would leave processes nobody records.
      retire(result.instances, milliseconds(options_.driver.stop_grace_ms));
      result.instances.clear();
      return result;
    }
    result.instances.push_back(std::move(*instance));
  }
  result.ok = true;
  return result;
}

void ProcessDriver::reap() {
  for (auto& [pid, managed] : managed_) {
    if (!managed.child || managed.exited) continue;
    int status = 0;
    const pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == pid) {
      managed.exited = describe_exit(status);
    } else if (got < 0 && errno == ECHILD) {
      managed.exited = "exited (reaped elsewhere)";
    }
  }
}

std::optional<std::string> ProcessDriver::exit_of(pid_t pid) const {
  const auto found = managed_.find(pid);
  if (found == managed_.end()) return std::nullopt;
  return found->second.exited;
}

std::optional<InstanceHealth> ProcessDriver::check_once(const Instance& instance,
                                                        std::string& last_error) {
  InstanceHealth health{instance.index, instance.pid, false, {}};
  const auto found = managed_.find(instance.pid);
  if (found == managed_.end()) {
    health.error = "instance " + std::to_string(instance.index) + " (pid " +
                   std::to_string(instance.pid) + ") is not managed by this driver";
    return health;
  }
  const Managed& managed = found->second;
  const bool dead = managed.exited.has_value() || (!managed.child && !process_running(instance.pid));
  if (dead) {
    health.error = "instance " + std::to_string(instance.index) + " (pid " +
                   std::to_string(instance.pid) + ") " +
                   managed.exited.value_or("is no longer running") +
                   " before becoming healthy; log " + instance.log_path + ": " +
                   log_tail(instance.log_path);
    return health;
  }
  const auto probe = probe_http(instance.port, options_.driver.health_path, options_.probe_timeout);
  if (probe.healthy) {
    health.healthy = true;
    return health;
  }
  last_error = probe.error;
  return std::nullopt;
}

HealthReport ProcessDriver::wait_healthy(const std::vector<Instance>& instances,
                                         milliseconds timeout) {
  HealthReport report;
  std::vector<std::optional<InstanceHealth>> done(instances.size());
  std::vector<std::string> last_error(instances.size(), "no probe yet");
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    reap();
    bool pending = false;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      if (!done[i]) done[i] = check_once(instances[i], last_error[i]);
      pending = pending || !done[i];
    }
    if (!pending || Clock::now() >= deadline) break;
    // Polling (not synchronisation): the instance tells nobody when it is ready.
    std::this_thread::sleep_for(std::min(options_.poll_interval, until(deadline)));
  }
  for (std::size_t i = 0; i < instances.size(); ++i) {
    if (done[i]) {
      report.instances.push_back(*done[i]);
      continue;
    }
    report.instances.push_back(
        {instances[i].index, instances[i].pid, false,
         "instance " + std::to_string(instances[i].index) + " on " + instances[i].endpoint +
             " not healthy within " + std::to_string(timeout.count()) + " ms (GET " +
             options_.driver.health_path + ": " + last_error[i] + ")"});
  }
  return report;
}

bool ProcessDriver::gone(Managed& managed) {
  const pid_t pid = managed.instance.pid;
  if (managed.child && !managed.exited) {
    int status = 0;
    const pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == pid) managed.exited = describe_exit(status);
    if (got < 0 && errno == ECHILD) managed.exited = "exited (reaped elsewhere)";
  }
  const bool leader_gone = managed.child ? managed.exited.has_value() : !process_running(pid);
  // The group outlives its leader when the instance forked helpers: wait for all of them.
  return leader_gone && !group_running(pid);
}

void ProcessDriver::signal_group(const Managed& managed, int signo) {
  const pid_t pid = managed.instance.pid;
  if (::kill(-pid, signo) != 0 && errno == ESRCH && !managed.exited) ::kill(pid, signo);
}

bool ProcessDriver::wait_all_gone(std::vector<Managed*>& stopping, milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  for (;;) {
    std::erase_if(stopping, [this](Managed* managed) { return gone(*managed); });
    if (stopping.empty()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::min(milliseconds(10), until(deadline)));
  }
}

void ProcessDriver::retire(const std::vector<Instance>& instances, milliseconds grace) {
  std::vector<Managed*> stopping;
  std::vector<pid_t> pids;
  for (const auto& instance : instances) {
    const auto found = managed_.find(instance.pid);
    if (found == managed_.end()) continue;  // never signal what we did not start or adopt
    signal_group(found->second, SIGTERM);
    stopping.push_back(&found->second);
    pids.push_back(instance.pid);
  }
  if (!wait_all_gone(stopping, grace)) {
    for (Managed* managed : stopping) {
      spdlog::warn("driver: pid {} still running {} ms after SIGTERM: SIGKILL",
                   managed->instance.pid, grace.count());
      signal_group(*managed, SIGKILL);
    }
    if (!wait_all_gone(stopping, options_.kill_wait)) {
      spdlog::error("driver: {} instance(s) survived SIGKILL", stopping.size());
    }
  }
  for (pid_t pid : pids) {
    const auto found = managed_.find(pid);
    ports_.release(found->second.instance.port);
    managed_.erase(found);
  }
}

std::optional<std::string> ProcessDriver::ownership_problem(const Instance& recorded) const {
  const std::string pid = std::to_string(recorded.pid);
  if (!process_running(recorded.pid)) return "pid " + pid + " is no longer running";
  if (recorded.start_time != 0 && process_start_time(recorded.pid) != recorded.start_time) {
    return "pid " + pid + " was reused by another process (start time differs)";
  }
  const auto cmdline = process_cmdline(recorded.pid);
  const std::string port = std::to_string(recorded.port);
  const bool right_program =
      !cmdline.empty() && !basename_of(cmdline.front()).empty() &&
      template_.text().find(basename_of(cmdline.front())) != std::string::npos;
  const bool right_port = std::any_of(cmdline.begin(), cmdline.end(),
                                      [&](const std::string& arg) { return names_port(arg, port); });
  if (!right_program || !right_port) {
    std::string shown;
    for (const auto& arg : cmdline) shown += (shown.empty() ? "" : " ") + arg;
    return "pid " + pid + " runs '" + shown + "', not this app's command on port " + port;
  }
  return std::nullopt;
}

AdoptResult ProcessDriver::adopt(const std::vector<Instance>& recorded) {
  AdoptResult result;
  for (const auto& instance : recorded) {
    if (auto problem = ownership_problem(instance)) {
      result.lost.push_back(instance);
      result.reasons.push_back(*problem);
      continue;
    }
    Instance adopted = instance;
    if (adopted.start_time == 0) adopted.start_time = process_start_time(instance.pid);
    // Our own child (adopting in the same process) stays reapable by waitpid.
    const bool child = ::waitpid(instance.pid, nullptr, WNOHANG) == 0;
    managed_[instance.pid] = Managed{adopted, child, std::nullopt};
    ports_.reserve(instance.port);
    result.alive.push_back(adopted);
  }
  return result;
}

}  // namespace switchyard::controller::drivers
