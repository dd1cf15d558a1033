// Entry points of the controller configuration loader (shared machinery in config_loading.hpp).
#include "config/load_controller_config.hpp"

#include "config/config_loading.hpp"
#include "config/controller_rules.hpp"
#include "config/decode_controller_config.hpp"

namespace switchyard::config {
namespace {

auto decode = [](const YamlReader& reader) { return decode_controller_config(reader); };
auto check = [](const ControllerConfig& config) { return rules::check_controller_config(config); };

// Relative paths in the file mean "next to the file", not "next to the working directory".
void resolve_paths(ControllerConfig& config, const std::filesystem::path& dir) {
  loading::resolve_against(dir, config.controller.state);
  loading::resolve_against(dir, config.controller.token_file);
  loading::resolve_against(dir, config.controller.secrets_key_file);
  for (auto& env : config.environments) {
    for (auto& proxy : env.proxies) loading::resolve_against(dir, proxy.token_file);
  }
}

}  // namespace

ControllerConfigResult parse_controller_config(std::string_view yaml_text, const std::string& source_name) {
  return loading::parse_text<ControllerConfig>(yaml_text, source_name, decode, check);
}

ControllerConfigResult load_controller_config_file(const std::string& path) {
  return loading::load_file<ControllerConfig>(path, decode, check, resolve_paths);
}

}  // namespace switchyard::config
