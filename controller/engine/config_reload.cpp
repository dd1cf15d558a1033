#include "controller/engine/config_reload.hpp"

#include <spdlog/spdlog.h>

#include "config/load_controller_config.hpp"

namespace switchyard::controller::engine {
namespace {

// `config` without its overlays: what must stay equal for a reload to be complete.
config::ControllerConfig without_overlays(config::ControllerConfig config) {
  for (auto& env : config.environments) env.config.clear();
  for (auto& app : config.apps) app.config.clear();
  return config;
}

std::vector<std::string> other_changes(const config::ControllerConfig& before, const config::ControllerConfig& after) {
  std::vector<std::string> changed;
  if (before.controller != after.controller) changed.push_back("controller");
  if (before.environments != after.environments) changed.push_back("environments");
  if (before.apps.size() != after.apps.size()) {
    changed.push_back("apps");
    return changed;
  }
  for (std::size_t i = 0; i < before.apps.size(); ++i) {
    if (before.apps[i] != after.apps[i]) changed.push_back("apps." + before.apps[i].name);
  }
  return changed;
}

}  // namespace

ReloadReport reload_overlays(const std::string& path, const config::ControllerConfig& running,
                             ConfigOverlays& overlays) {
  ReloadReport report;
  auto loaded = config::load_controller_config_file(path);
  if (const auto* error = std::get_if<config::ConfigError>(&loaded)) {
    report.error = error->message;
    spdlog::error("reload: {} (nothing applied)", report.error);
    return report;
  }
  const auto& fresh = std::get<config::ControllerConfig>(loaded);
  report.need_restart = other_changes(without_overlays(running), without_overlays(fresh));
  // Overlays of apps or environments that only the new file knows would never be deployed.
  config::ControllerConfig known = running;
  for (auto& app : known.apps) {
    if (const auto* now = fresh.find_app(app.name)) app.config = now->config;
  }
  for (auto& env : known.environments) {
    if (const auto* now = fresh.find_environment(env.name)) env.config = now->config;
  }
  report.applied = overlays.replace(known);
  for (const auto& key : report.applied) spdlog::info("reload: applied {}", key);
  for (const auto& key : report.need_restart) spdlog::warn("reload: {} changed: needs a restart (not applied)", key);
  if (report.applied.empty() && report.need_restart.empty()) spdlog::info("reload: no change");
  return report;
}

}  // namespace switchyard::controller::engine
