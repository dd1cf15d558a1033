// run_command (hook_runner.hpp): a hook's `run:` through /bin/sh -c, output captured.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "controller/engine/hook_runner.hpp"

extern char** environ;

namespace switchyard::controller::engine {
namespace {

void keep_tail(std::string& output, const char* data, std::size_t size) {
  output.append(data, size);
  if (output.size() > kHookOutputLimit) output.erase(0, output.size() - kHookOutputLimit);
}

// The controller's environment with `extra` (NAME=value) overriding it, built before fork():
// the child may only call async-signal-safe functions.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (char** each = environ; each && *each; ++each) {
    const std::string entry(*each);
    const auto name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& e : extra) overridden = overridden || e.rfind(name + "=", 0) == 0;
    if (!overridden) out.push_back(entry);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

std::string describe_status(const std::string& command, int status, std::optional<int>& exit_code) {
  if (WIFEXITED(status)) {
    exit_code = WEXITSTATUS(status);
    if (*exit_code == 0) return {};
    return "'" + command + "' exited with code " + std::to_string(*exit_code);
  }
  return "'" + command + "' killed by signal " + std::to_string(WTERMSIG(status));
}

}  // namespace

// The command in its own process group, so that a timeout kills everything it started; stdout
// and stderr share one pipe read here until EOF (every writer gone) and exit.
CommandResult run_command(const std::string& command, const std::vector<std::string>& env,
                          std::chrono::seconds timeout) {
  CommandResult result;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return {std::nullopt, "", "cannot create a pipe for '" + command + "'"};
  const auto environment = merged_environment(env);
  std::vector<char*> envp;
  for (const auto& each : environment) envp.push_back(const_cast<char*>(each.c_str()));
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return {std::nullopt, "", "cannot fork for '" + command + "'"};
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execle("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);
  close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool open_pipe = true;
  bool exited = false;
  bool timed_out = false;
  int status = 0;
  std::array<char, 8192> chunk{};
  // Something the command left running in the background may hold the pipe open: once the
  // shell has exited, its output is read for a short grace only.
  std::chrono::steady_clock::time_point drain_until = deadline;
  while (open_pipe || !exited) {
    if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      drain_until = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(200));
    }
    if (exited && std::chrono::steady_clock::now() >= drain_until) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    if (!open_pipe) {
      poll(nullptr, 0, 20);
      continue;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 20) > 0) {
      const auto n = read(fds[0], chunk.data(), chunk.size());
      if (n > 0) keep_tail(result.output, chunk.data(), static_cast<std::size_t>(n));
      if (n == 0) open_pipe = false;
    }
  }
  if (timed_out) {
    kill(-pid, SIGKILL);  // the whole group: whatever the command started goes too
    if (!exited) waitpid(pid, &status, 0);
    result.error = "'" + command + "' timed out after " + std::to_string(timeout.count()) +
                   " s (process group killed)";
  } else {
    result.error = describe_status(command, status, result.exit_code);
  }
  close(fds[0]);
  return result;
}

}  // namespace switchyard::controller::engine
