#pragma once
// ConfigOverlays: the `config:` overlays the controller hands to instances (apps[].config and
// environments[].config), kept apart from the rest of the ControllerConfig so that they can be
// replaced at run time (SIGHUP, main.cpp) while everything else stays as loaded at start.
// render() merges them for one app in one environment (precedence in
// docs/configuration-controller.md: app base < environment-wide config < app config.<env>) and
// hashes the result (RenderedConfig::hash: what instances.config_hash records).
//
// Thread-safe: render() runs on the executor's worker thread and on the control thread (API,
// config-only starts), replace() on the control thread; one mutex guards the maps.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "config/controller_config.hpp"

namespace switchyard::controller::engine {

using Variables = std::map<std::string, std::string>;

struct RenderedConfig {
  Variables vars;                     // what the instance gets (env vars, {config_file})
  std::map<std::string, std::string> sources;  // key -> the config key path it came from
  std::map<std::string, std::string> secret_versions;  // secret name -> version (never values)
  std::string canonical_json;         // {"config":{sorted keys},"secrets":{name:version}}
  std::string hash;                   // SHA-256 of canonical_json, 64 lower-case hex digits
};

// The hash over the canonical rendering (sorted keys) plus the secret versions. Pure.
RenderedConfig render_variables(const std::map<std::string, std::pair<std::string, std::string>>& merged,
                                const std::map<std::string, std::string>& secret_versions);
// `vars` as a JSON object (the {config_file} contents).
std::string vars_json(const Variables& vars);

// Config-only rollouts label the new deployment "<base>+cfg.<hash8>"; the code is the base's.
std::string config_label(const std::string& baseline_label, const std::string& hash);
std::string code_version(const std::string& label);  // the label without a "+cfg." suffix

class ConfigOverlays {
 public:
  explicit ConfigOverlays(const config::ControllerConfig& initial) { replace(initial); }

  // Takes the overlays of `fresh` (for the apps and environments it names); returns the key paths
  // whose overlay changed ("apps.shop.config", "environments.staging.config").
  std::vector<std::string> replace(const config::ControllerConfig& fresh);

  // The merged variables of `app` in `env`, with their sources, hashed with `secret_versions`.
  // (ActionExecutor::secret_versions gives the versions of an app's `secrets:`.)
  RenderedConfig render(const std::string& app, const std::string& env,
                        const std::map<std::string, std::string>& secret_versions) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::string, Variables>> apps_;  // app -> scope (base|env) -> vars
  std::map<std::string, Variables> envs_;                         // env -> vars
};

}  // namespace switchyard::controller::engine
