#pragma once
// YAML tree -> ControllerConfig (SPEC §6): key sets, types and syntax (e.g. `ports: 19000-19999`).
// Throws ReadError; the semantic rules run afterwards (controller_rules.hpp). Internal to sy_config.

#include "config/controller_config.hpp"
#include "config/yaml_reader.hpp"

namespace switchyard::config {

ControllerConfig decode_controller_config(const YamlReader& root);

}  // namespace switchyard::config
