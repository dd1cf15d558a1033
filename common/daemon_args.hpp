#pragma once
// The command line both daemons (switchyard-proxy, switchyard-controller) share: `--config FILE`,
// `--check`, `--log-level L`, `--help`, `--version`, plus each daemon's own valued flags (e.g. the
// proxy's `--handover-socket PATH`). Values may follow as the next argument or after `=`.
// Pure parsing: the caller prints help and version, and reports errors with its own name.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/common.h>

namespace switchyard {

struct DaemonArgs {
  enum class Outcome { run, help, version, bad };
  Outcome outcome = Outcome::run;
  std::string error;  // Outcome::bad: what is wrong, naming the flag
  std::string config_path;
  bool check_only = false;
  spdlog::level::level_enum log_level = spdlog::level::info;
  std::map<std::string, std::string, std::less<>> values;  // the extra valued flags given, by flag
};

// `extra_flags`: further flags that take a value ("--handover-socket").
DaemonArgs parse_daemon_args(int argc, char** argv, const std::vector<std::string_view>& extra_flags = {});

}  // namespace switchyard
