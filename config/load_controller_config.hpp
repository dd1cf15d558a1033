#pragma once
// Loading and validating the controller configuration; errors are one line:
//   "<file>: <key path>: <what is wrong>" (the same reader and rules style as the proxy's).
// No exception crosses this interface.

#include <string>
#include <string_view>
#include <variant>

#include "config/controller_config.hpp"
#include "config/load_proxy_config.hpp"

namespace switchyard::config {

using ControllerConfigResult = std::variant<ControllerConfig, ConfigError>;

ControllerConfigResult load_controller_config_file(const std::string& path);
ControllerConfigResult parse_controller_config(std::string_view yaml_text, const std::string& source_name);

}  // namespace switchyard::config
