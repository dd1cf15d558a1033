#include "common/daemon_args.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace switchyard {
namespace {

// spdlog's own from_str() maps unknown names to "off": a typo would silence the logs.
std::optional<spdlog::level::level_enum> log_level_named(std::string_view name) {
  using spdlog::level::level_enum;
  constexpr std::pair<std::string_view, level_enum> kLevels[] = {
      {"trace", level_enum::trace}, {"debug", level_enum::debug}, {"info", level_enum::info},
      {"warn", level_enum::warn},   {"error", level_enum::err},   {"off", level_enum::off}};
  for (const auto& [text, level] : kLevels) {
    if (name == text) return level;
  }
  return std::nullopt;
}

DaemonArgs ending(DaemonArgs::Outcome outcome, std::string error = {}) {
  DaemonArgs args;
  args.outcome = outcome;
  args.error = std::move(error);
  return args;
}

DaemonArgs bad(std::string error) { return ending(DaemonArgs::Outcome::bad, std::move(error)); }

}  // namespace

DaemonArgs parse_daemon_args(int argc, char** argv, const std::vector<std::string_view>& extra_flags) {
  DaemonArgs args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return ending(DaemonArgs::Outcome::help);
    if (arg == "--version") return ending(DaemonArgs::Outcome::version);
    if (arg == "--check") {
      args.check_only = true;
      continue;
    }
    // A valued flag: "--flag VALUE" or "--flag=VALUE".
    const auto equals = arg.find('=');
    const std::string_view flag = arg.substr(0, equals);
    const bool known = flag == "--config" || flag == "--log-level" ||
                       std::find(extra_flags.begin(), extra_flags.end(), flag) != extra_flags.end();
    if (!known || (equals == std::string_view::npos && i + 1 >= argc))
      return bad("unknown or incomplete argument '" + std::string(arg) + "' (see --help)");
    const std::string value = equals == std::string_view::npos ? argv[++i] : std::string(arg.substr(equals + 1));
    if (flag == "--config") {
      args.config_path = value;
    } else if (flag == "--log-level") {
      const auto level = log_level_named(value);
      if (!level) return bad("--log-level: unknown level '" + value + "' (trace, debug, info, warn, error, off)");
      args.log_level = *level;
    } else {
      args.values[std::string(flag)] = value;
    }
  }
  if (args.config_path.empty()) return bad("--config FILE is required (see --help)");
  return args;
}

}  // namespace switchyard
