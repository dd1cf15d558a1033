#include "tests/support/child_process.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace switchyard::test {

namespace {
// tests/CMakeLists.txt gives SWITCHYARD_BIN_DIR to the consumers of this library only
// (INTERFACE), so this file may be compiled without it. The build puts test executables in the
// same bin directory as the binaries under test, so the running executable's directory is the
// fallback. The environment variable SWITCHYARD_BIN_DIR overrides both (installed binaries).
std::string bin_dir() {
  if (const char* env = std::getenv("SWITCHYARD_BIN_DIR"); env && *env) return env;
#ifdef SWITCHYARD_BIN_DIR
  return SWITCHYARD_BIN_DIR;
#else
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : self.parent_path().string();
#endif
}
}  // namespace

std::string bin_path(const char* name) { return bin_dir() + "/" + name; }

namespace {
constexpr auto kTermGrace = std::chrono::seconds(3);
constexpr auto kPollStep = std::chrono::milliseconds(10);
constexpr auto kDrainLimit = std::chrono::milliseconds(500);

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}
}  // namespace

ChildProcess::ChildProcess(std::string path, std::vector<std::string> args,
                           std::vector<std::string> extra_env, std::vector<int> inherit_fds)
    : path_(std::move(path)) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    output_ = "pipe2 failed: " + std::string(std::strerror(errno));
    return;
  }
  args.insert(args.begin(), path_);
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  auto argv = c_strings(args);
  auto envp = c_strings(env);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  // dup2 onto the same number would keep FD_CLOEXEC: the caller's descriptors must not collide
  // with the targets (tests pass descriptors made with F_DUPFD_CLOEXEC above 3 + count).
  for (std::size_t i = 0; i < inherit_fds.size(); ++i)
    posix_spawn_file_actions_adddup2(&actions, inherit_fds[i], 3 + static_cast<int>(i));
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group: the destructor can stop everything the child started.
  // Default signal mask and dispositions: the test runner's are not the child's business.
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &all);
  int rc = posix_spawn(&pid_, path_.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (rc != 0) {
    pid_ = -1;
    close(fds[0]);
    output_ = "cannot start " + path_ + ": " + std::strerror(rc);
    eof_ = true;
    return;
  }
  reader_ = std::thread([this, fd = fds[0]] { read_loop(fd); });
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_code_) {
    kill(-pid_, SIGTERM);
    if (!wait_exit(kTermGrace)) {
      kill(-pid_, SIGKILL);
      try_reap(0);
    }
  }
  if (pid_ > 0) kill(-pid_, SIGKILL);  // anything the child left behind in its group
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (reader_.joinable()) reader_.join();
}

void ChildProcess::read_loop(int fd) {
  char buffer[4096];
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    // poll with a timeout so that the destructor can stop us even if a grandchild that escaped
    // the group still holds the pipe open.
    pollfd pfd{fd, POLLIN, 0};
    int ready = poll(&pfd, 1, 50);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    ssize_t n = ready < 0 ? -1 : read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mutex_);
    if (n <= 0) {
      eof_ = true;
      changed_.notify_all();
      break;
    }
    output_.append(buffer, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  close(fd);
}

std::optional<std::string> ChildProcess::wait_for_line(const std::regex& pattern, Duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t scanned = 0;  // offset of the first line not yet tested
  std::unique_lock lock(mutex_);
  for (;;) {
    for (std::size_t end; (end = output_.find('\n', scanned)) != std::string::npos; scanned = end + 1) {
      std::string line = output_.substr(scanned, end - scanned);
      if (std::regex_search(line, pattern)) return line;
    }
    if (eof_) break;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) break;
  }
  std::string why = eof_ ? "the process closed its output" : "timed out";
  ADD_FAILURE() << path_ << ": no line matching the pattern (" << why << "); output so far:\n"
                << output_;
  return std::nullopt;
}

std::string ChildProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

void ChildProcess::signal(int signo) {
  if (pid_ > 0 && !exit_code_) kill(pid_, signo);
}

bool ChildProcess::try_reap(int flags) {
  int status = 0;
  pid_t r = waitpid(pid_, &status, flags);
  if (r != pid_) return false;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

std::optional<int> ChildProcess::wait_exit(Duration timeout) {
  if (pid_ <= 0) return std::nullopt;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // waitpid has no timeout: poll it, which is bounded and needs no extra signal plumbing.
  while (!exit_code_ && !try_reap(WNOHANG)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollStep);
  }
  // Let the reader drain what the child wrote just before exiting, so that output() is complete
  // after wait_exit(). Bounded: a grandchild may still hold the pipe open.
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, kDrainLimit, [this] { return eof_; });
  return exit_code_;
}

}  // namespace switchyard::test
