#pragma once
// spawn_process: fork/exec of one instance, shell-free. The child gets its own process group
// (so retire can signal the whole group), stdin from /dev/null, stdout and stderr appended to
// the log file, default signal handling, no inherited descriptors beyond 0-2, and the
// controller's environment with `env` overriding or adding variables. argv[0] is looked up in
// PATH when it has no slash. An exec failure is reported synchronously (close-on-exec pipe).
// Any thread; the caller owns (and must reap) the child.

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace switchyard::controller::drivers {

struct SpawnResult {
  pid_t pid = -1;      // > 0 on success
  std::string error;   // e.g. "cannot start 'nope': No such file or directory"
};

SpawnResult spawn_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::string& log_path);

// "exited with code N" / "killed by signal N (Terminated)" for a waitpid status.
std::string describe_exit(int wait_status);

}  // namespace switchyard::controller::drivers
