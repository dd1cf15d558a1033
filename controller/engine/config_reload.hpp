#pragma once
// Runtime reload of the controller's YAML (SIGHUP, main.cpp). Only the `config:` overlays
// (apps[].config, environments[].config) are applied: they are read at each deployment through
// ConfigOverlays. Every other difference is logged as needing a restart, because the engine,
// the executor and the API hold the ControllerConfig loaded at start by reference.
// Control thread.

#include <string>
#include <vector>

#include "config/controller_config.hpp"
#include "controller/engine/config_overlays.hpp"

namespace switchyard::controller::engine {

struct ReloadReport {
  std::string error;                    // the file did not load: nothing was applied
  std::vector<std::string> applied;     // overlay key paths whose values changed
  std::vector<std::string> need_restart;  // other changed sections (not applied)
};

ReloadReport reload_overlays(const std::string& path, const config::ControllerConfig& running,
                             ConfigOverlays& overlays);

}  // namespace switchyard::controller::engine
