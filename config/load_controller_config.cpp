// Entry points of the controller configuration loader: file reading, YAML parsing, error
// formatting and the exception boundary (nothing thrown inside sy_config crosses them).
#include "config/load_controller_config.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/controller_rules.hpp"
#include "config/decode_controller_config.hpp"
#include "config/yaml_reader.hpp"

namespace switchyard::config {
namespace {

ConfigError error(const std::string& source, const std::string& path, const std::string& message) {
  return ConfigError{source + ": " + path + ": " + message};
}

ControllerConfigResult parse_and_check(std::string_view yaml_text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::ParserException& e) {
    return ConfigError{source + ": line " + std::to_string(e.mark.line + 1) + " column " +
                       std::to_string(e.mark.column + 1) + ": " + e.msg};
  }
  // An empty file is an empty map: the reader then names the first missing key.
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  ControllerConfig config;
  try {
    config = decode_controller_config(YamlReader(root, ""));
  } catch (const ReadError& e) {
    return error(source, e.path(), e.what());
  }
  if (auto problem = rules::check_controller_config(config)) {
    return error(source, problem->path, problem->message);
  }
  return config;
}

// Reads a whole file; on failure returns false with `reason` set from errno.
bool read_file(const std::string& path, std::string& text, std::string& reason) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    reason = std::strerror(EISDIR);
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    reason = std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    reason = std::strerror(errno);
    return false;
  }
  text = buffer.str();
  return true;
}

void resolve_against(const std::filesystem::path& dir, std::string& file) {
  if (file.empty() || dir.empty()) return;
  const std::filesystem::path path(file);
  if (path.is_relative()) file = (dir / path).lexically_normal().string();
}

// Relative paths in the file mean "next to the file", not "next to the working directory".
void resolve_paths(ControllerConfig& config, const std::string& config_path) {
  const auto dir = std::filesystem::path(config_path).parent_path();
  resolve_against(dir, config.controller.state);
  resolve_against(dir, config.controller.token_file);
  for (auto& env : config.environments) {
    for (auto& proxy : env.proxies) resolve_against(dir, proxy.token_file);
  }
}

}  // namespace

ControllerConfigResult parse_controller_config(std::string_view yaml_text, const std::string& source_name) {
  try {
    return parse_and_check(yaml_text, source_name);
  } catch (const std::exception& e) {
    return ConfigError{source_name + ": " + e.what()};
  } catch (...) {
    return ConfigError{source_name + ": unexpected error"};
  }
}

ControllerConfigResult load_controller_config_file(const std::string& path) {
  try {
    std::string text;
    std::string reason;
    if (!read_file(path, text, reason)) return ConfigError{path + ": cannot read: " + reason};
    auto result = parse_and_check(text, path);
    if (auto* config = std::get_if<ControllerConfig>(&result)) resolve_paths(*config, path);
    return result;
  } catch (const std::exception& e) {
    return ConfigError{path + ": " + e.what()};
  } catch (...) {
    return ConfigError{path + ": unexpected error"};
  }
}

}  // namespace switchyard::config
