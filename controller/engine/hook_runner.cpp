#include "controller/engine/hook_runner.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "config/load_proxy_config.hpp"
#include "controller/proxies/proxy_client.hpp"

namespace switchyard::controller::engine {
namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// The command in its own process group, so that a timeout kills everything it started.
std::string run_command(const std::string& command, std::chrono::seconds timeout) {
  const pid_t pid = fork();
  if (pid < 0) return "cannot fork for '" + command + "'";
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0) return "lost track of '" + command + "'";
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      return "'" + command + "' timed out after " + std::to_string(timeout.count()) + " s";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  if (WIFEXITED(status)) return "'" + command + "' exited with code " + std::to_string(WEXITSTATUS(status));
  return "'" + command + "' killed by signal " + std::to_string(WTERMSIG(status));
}

// Only plain http://host:port/path: hooks call local or internal smoke-test endpoints.
std::string run_http(const std::string& url, std::chrono::seconds timeout) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return "hook url '" + url + "' must start with http://";
  const auto rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  const auto path = slash == std::string::npos ? std::string("/") : rest.substr(slash);
  config::ProxyTarget target;
  if (auto error = config::parse_host_port(authority, target.admin); !error.empty()) {
    return "hook url '" + url + "': " + error;
  }
  proxies::ProxyClientOptions options;
  options.timeout = timeout;
  proxies::ProxyClient client(target, options);
  auto result = client.request("GET", path);
  if (result.ok) return {};
  return "GET " + url + ": " + (result.status ? "status " + std::to_string(result.status) : result.error);
}

}  // namespace

std::string substitute_hook(std::string text, const std::string& version, const std::string& env) {
  replace_all(text, "{version}", version);
  replace_all(text, "{env}", env);
  return text;
}

std::string run_hooks(const std::vector<config::HookConfig>& hooks, const std::string& version,
                      const std::string& env) {
  for (const auto& hook : hooks) {
    const std::chrono::seconds timeout(std::max<std::uint32_t>(1, hook.timeout_s));
    std::string error = !hook.run.empty() ? run_command(substitute_hook(hook.run, version, env), timeout)
                                          : run_http(substitute_hook(hook.http, version, env), timeout);
    if (!error.empty()) return error;
  }
  return {};
}

}  // namespace switchyard::controller::engine
