#pragma once
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::test {

// SWITCHYARD_BIN_DIR/name: where the build put the project's executables.
std::string bin_path(const char* name);

// A child process started for a test, in its own process group, with stdout and stderr captured
// into one buffer by a reader thread. Thread-safe for the reading calls (output, wait_for_line);
// owned by the test thread otherwise. The destructor stops the whole group (SIGTERM, then SIGKILL
// after 3 s) and reaps the child, so a failing test never leaks processes.
class ChildProcess {
 public:
  using Duration = std::chrono::milliseconds;

  // Starts `path` with `args` (argv[0] is added) and `extra_env` ("KEY=VALUE") on top of the
  // current environment. `inherit_fds[i]` becomes the child's descriptor 3 + i (the sd_listen_fds
  // layout); every other descriptor of the test is closed on exec as usual.
  // A failure to start is reported by started() and output().
  ChildProcess(std::string path, std::vector<std::string> args,
               std::vector<std::string> extra_env = {}, std::vector<int> inherit_fds = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // The first captured line (without the newline) that matches `pattern`. On timeout, or when the
  // child closes its output first, records a GoogleTest failure that includes everything captured
  // and returns nullopt.
  std::optional<std::string> wait_for_line(const std::regex& pattern,
                                           Duration timeout = std::chrono::seconds(10));

  // Everything captured so far.
  std::string output() const;

  // Sends `signo` to the child (not the group).
  void signal(int signo);

  // Waits for the child to exit: its exit code, or 128 + signal number if a signal killed it;
  // nullopt if it is still running after `timeout`.
  std::optional<int> wait_exit(Duration timeout = std::chrono::seconds(10));

 private:
  void read_loop(int fd);
  bool try_reap(int flags);

  std::string path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;   // guarded by mutex_
  bool eof_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_: tells the reader to give up
  std::thread reader_;
};

}  // namespace switchyard::test
