#pragma once
// Configuration reloads (POST /v1/config/reload and SIGHUP): re-read the --config file with the
// loader's own rules and apply it through ControlState in one publish, or refuse it and keep the
// running configuration. Control-thread only.

#include <optional>
#include <string>
#include <vector>

#include "proxy/admin/admin_types.hpp"

namespace switchyard::proxy::admin {

class ControlState;

struct ReloadOutcome {
  std::optional<AdminError> error;            // refused (400): the one-line loader message
  std::string hash;                           // applied: hash of the configuration in force
  std::vector<std::string> restart_required;  // applied, but these keys need a restart
  bool ok() const { return !error.has_value(); }
};

// Reads state.config_path() and applies it (see ControlState::apply_reload); counts, logs and
// records the outcome as a config_reloaded or config_rejected event.
ReloadOutcome reload_config_file(ControlState& state);

}  // namespace switchyard::proxy::admin
