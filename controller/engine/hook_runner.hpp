#pragma once
// Hooks and gates (SPEC §6 `hooks:`, docs/hooks.md): a `run:` command through /bin/sh -c in its
// own process group (a timeout kills the whole group), or an `http:` call that must answer the
// expected status. Placeholders ({app} {env} {version} {baseline} {step} {weight} {endpoints}
// {phase}) are substituted first; a command also gets them as SWITCHYARD_* environment variables.
// Each hook's result (output bounded to its last 64 KiB) is returned for the store.
// Blocking: called on the engine's worker thread only (ActionExecutor), never on the control thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/controller_config.hpp"
#include "controller/rollout/action.hpp"

namespace switchyard::controller::engine {

inline constexpr std::size_t kHookOutputLimit = 64 * 1024;

// What a hook may know about the rollout it runs for.
struct HookContext {
  std::string app;
  std::string env;
  std::string version;
  std::string baseline;
  std::string phase;                   // pre_deploy, pre_traffic, per_step, post_deploy, on_rollback
  std::uint32_t step = 0;              // the step index (canary), else 0
  std::uint32_t weight = 0;            // the new version's weight now (percent)
  std::vector<std::string> endpoints;  // host:port of the new version's instances
  std::int64_t rollout_id = 0;         // 0 = unknown
};

// One hook's outcome, as stored in hook_runs.
struct HookRun {
  std::string phase;
  std::uint32_t hook_index = 0;
  std::string kind;    // run | http
  std::string target;  // the command or "METHOD url", placeholders substituted
  std::int64_t started_at = 0;  // ms since the epoch
  std::int64_t duration_ms = 0;
  bool ok = false;
  std::optional<int> exit_code;    // run: when it exited
  std::optional<int> http_status;  // http: when it answered
  std::string output;              // run: stdout+stderr; http: the body (last kHookOutputLimit bytes)
  std::string error;               // empty when ok
};

// The app's hooks of `phase`.
const std::vector<config::HookConfig>& hooks_of(const config::HooksConfig& hooks, rollout::HookPhase phase);

// Runs `hooks` in order and stops at the first failure (the rest are not run).
std::vector<HookRun> run_hooks(const std::vector<config::HookConfig>& hooks, const HookContext& context);
// "" when every run is ok, else the first failure's error.
std::string first_failure(const std::vector<HookRun>& runs);

// Shorthand for tests and callers without a rollout: "" or the first failure's error.
std::string run_hooks(const std::vector<config::HookConfig>& hooks, const std::string& version,
                      const std::string& env);

// Replaces every placeholder of `context` in `text`.
std::string substitute_hook(std::string text, const HookContext& context);
std::string substitute_hook(std::string text, const std::string& version, const std::string& env);

// hook_command.cpp: runs `command` with `env` added to the controller's environment.
struct CommandResult {
  std::optional<int> exit_code;
  std::string output;
  std::string error;  // empty when it exited 0
};
CommandResult run_command(const std::string& command, const std::vector<std::string>& env,
                          std::chrono::seconds timeout);

}  // namespace switchyard::controller::engine
