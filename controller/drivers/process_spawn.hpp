#pragma once
// spawn_process: fork/exec of one instance, shell-free. The child gets its own process group
// (so retire can signal the whole group), stdin from /dev/null, stdout and stderr appended to
// the log file, default signal handling, no inherited descriptors beyond 0-2, and the
// controller's environment with `env` overriding or adding variables. argv[0] is looked up in
// PATH when it has no slash. An exec failure is reported synchronously (close-on-exec pipe).
// With a non-empty `secrets_json`, the child also inherits a pipe's read end as fd 3 holding
// exactly those bytes (written and closed before fork, so the child reads them to EOF whenever
// it likes), and $SWITCHYARD_SECRETS_FD=3: secrets never travel in argv or environment values.
// Any thread; the caller owns (and must reap) the child.

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace switchyard::controller::drivers {
inline constexpr int kSecretsFd = 3;
}

namespace switchyard::controller::drivers {

struct SpawnResult {
  pid_t pid = -1;      // > 0 on success
  std::string error;   // e.g. "cannot start 'nope': No such file or directory"
};

SpawnResult spawn_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::string& log_path, const std::string& secrets_json = {});

// "exited with code N" / "killed by signal N (Terminated)" for a waitpid status.
std::string describe_exit(int wait_status);

}  // namespace switchyard::controller::drivers
