#include "controller/drivers/process_spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace switchyard::controller::drivers {
namespace {

// "KEY=VALUE" strings: the controller's environment with `overrides` replacing or adding keys.
std::vector<std::string> merged_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    const std::string key = text.substr(0, equals);
    if (overrides.count(key) == 0) out.push_back(text);
  }
  for (const auto& [key, value] : overrides) out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& text : strings) out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

// A close-on-exec pipe read end that already holds all of `payload` (the write end is closed),
// or -1 with `error`. The write end is non-blocking: a payload larger than the pipe can grow to
// fails here instead of blocking the controller.
int preloaded_pipe(const std::string& payload, std::string& error) {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    error = std::string("cannot create the secrets pipe: ") + std::strerror(errno);
    return -1;
  }
  if (payload.size() > 65536) ::fcntl(fds[1], F_SETPIPE_SZ, static_cast<int>(payload.size()));
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
  std::size_t sent = 0;
  while (sent < payload.size()) {
    const ssize_t n = ::write(fds[1], payload.data() + sent, payload.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "the secrets (" + std::to_string(payload.size()) + " bytes) do not fit in a pipe";
      ::close(fds[0]);
      ::close(fds[1]);
      return -1;
    }
    sent += static_cast<std::size_t>(n);
  }
  ::close(fds[1]);
  return fds[0];
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(int log_fd, int null_fd, int report_fd, int secrets_fd, char** argv, char** envp) {
  ::setpgid(0, 0);
  ::dup2(null_fd, 0);
  ::dup2(log_fd, 1);
  ::dup2(log_fd, 2);
  int keep_below = 3;
  if (secrets_fd >= 0) {
    // The secrets pipe becomes fd kSecretsFd (inherited: dup2 clears close-on-exec).
    if (report_fd == kSecretsFd) report_fd = ::fcntl(report_fd, F_DUPFD_CLOEXEC, kSecretsFd + 1);
    if (secrets_fd == kSecretsFd) {
      ::fcntl(secrets_fd, F_SETFD, 0);
    } else {
      ::dup2(secrets_fd, kSecretsFd);
    }
    keep_below = kSecretsFd + 1;
  }
  // Keep nothing of the controller's open sockets and files; report_fd is close-on-exec.
  if (report_fd > keep_below) ::close_range(static_cast<unsigned>(keep_below), static_cast<unsigned>(report_fd - 1), 0);
  ::close_range(static_cast<unsigned>(report_fd + 1), ~0U, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int signo : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) ::signal(signo, SIG_DFL);
  ::execvpe(argv[0], argv, envp);
  const int error = errno;
  (void)!::write(report_fd, &error, sizeof error);
  ::_exit(127);
}

}  // namespace

std::string describe_exit(int wait_status) {
  if (WIFEXITED(wait_status)) return "exited with code " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const int signo = WTERMSIG(wait_status);
    return "killed by signal " + std::to_string(signo) + " (" + ::strsignal(signo) + ")";
  }
  return "stopped";
}

SpawnResult spawn_process(const std::vector<std::string>& argv_in,
                          const std::map<std::string, std::string>& env,
                          const std::string& log_path, const std::string& secrets_json) {
  SpawnResult result;
  if (argv_in.empty() || argv_in.front().empty()) {
    result.error = "empty command";
    return result;
  }
  // Everything the child needs is built before fork: the child must not allocate.
  std::vector<std::string> argv_strings = argv_in;
  auto env_with_fd = env;
  if (!secrets_json.empty()) env_with_fd["SWITCHYARD_SECRETS_FD"] = std::to_string(kSecretsFd);
  std::vector<std::string> env_strings = merged_environment(env_with_fd);
  auto argv = c_strings(argv_strings);
  auto envp = c_strings(env_strings);

  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    result.error = "cannot open log file " + log_path + ": " + std::strerror(errno);
    return result;
  }
  int secrets_fd = -1;
  if (!secrets_json.empty()) {
    secrets_fd = preloaded_pipe(secrets_json, result.error);
    if (secrets_fd < 0) {
      ::close(log_fd);
      return result;
    }
  }
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int report[2] = {-1, -1};
  if (null_fd < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
    result.error = std::string("cannot prepare the child: ") + std::strerror(errno);
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    if (secrets_fd >= 0) ::close(secrets_fd);
    return result;
  }
  const pid_t pid = ::fork();
  if (pid == 0) exec_child(log_fd, null_fd, report[1], secrets_fd, argv.data(), envp.data());
  const int fork_errno = errno;
  ::close(report[1]);
  if (secrets_fd >= 0) ::close(secrets_fd);
  ::close(log_fd);
  ::close(null_fd);
  if (pid < 0) {
    ::close(report[0]);
    result.error = std::string("fork: ") + std::strerror(fork_errno);
    return result;
  }
  ::setpgid(pid, pid);  // also in the child: whichever runs first wins, both agree
  int exec_errno = 0;
  ssize_t got;
  do {
    got = ::read(report[0], &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  ::close(report[0]);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    int status = 0;
    ::waitpid(pid, &status, 0);  // exits at once after reporting
    result.error = "cannot start '" + argv_in.front() + "': " + std::strerror(exec_errno);
    return result;
  }
  result.pid = pid;
  return result;
}

}  // namespace switchyard::controller::drivers
