// Look-ups over a loaded ControllerConfig.
#include "config/controller_config.hpp"

namespace switchyard::config {

const EnvironmentConfig* ControllerConfig::find_environment(const std::string& name) const {
  for (const auto& env : environments) {
    if (env.name == name) return &env;
  }
  return nullptr;
}

const AppConfig* ControllerConfig::find_app(const std::string& name) const {
  for (const auto& app : apps) {
    if (app.name == name) return &app;
  }
  return nullptr;
}

}  // namespace switchyard::config
