#pragma once
// YAML tree -> ProxyConfig: key sets, types and normalisation (lower-cased header names,
// "localhost" -> 127.0.0.1). Throws ReadError; semantic rules run afterwards (config_rules.hpp).
// Internal to sy_config.

#include "config/proxy_config.hpp"
#include "config/yaml_reader.hpp"

namespace switchyard::config {

ProxyConfig decode_proxy_config(const YamlReader& root);

}  // namespace switchyard::config
