#pragma once
// Hooks and gates (SPEC §6 `hooks:`): a `run:` command through /bin/sh -c, or an `http:` GET that
// must answer 2xx, each bounded by its timeout_s. {version} and {env} are substituted first.
// Blocking: called on the engine's worker thread only (ActionExecutor), never on the control thread.

#include <string>
#include <vector>

#include "config/controller_config.hpp"

namespace switchyard::controller::engine {

// "" when every hook succeeded, else why the first failing one failed (the rest are not run).
std::string run_hooks(const std::vector<config::HookConfig>& hooks, const std::string& version,
                      const std::string& env);

// Replaces every {version} and {env} in `text`.
std::string substitute_hook(std::string text, const std::string& version, const std::string& env);

}  // namespace switchyard::controller::engine
