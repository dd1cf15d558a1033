#pragma once
// The parts every configuration loader shares (proxy and controller): reading the file, parsing
// YAML, decoding through the key-path reader, checking the rules, resolving relative paths, and
// the exception boundary. Internal to sy_config; any thread.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

#include "config/load_proxy_config.hpp"
#include "config/yaml_reader.hpp"

namespace switchyard::config::loading {

// Reads a whole file; on failure returns false with `reason` set from errno.
bool read_file(const std::string& path, std::string& text, std::string& reason);

// Makes a relative `file` relative to `dir` (a config file's directory) instead of the cwd.
void resolve_against(const std::filesystem::path& dir, std::string& file);

// YAML text -> Config: `decode(YamlReader)` may throw ReadError (key path + what); `check(config)`
// returns an optional problem with `path` and `message`. Every failure is one line, "source: ...".
template <class Config, class Decode, class Check>
std::variant<Config, ConfigError> parse_text(std::string_view yaml_text, const std::string& source, Decode decode,
                                             Check check) {
  try {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::ParserException& e) {
      return ConfigError{source + ": line " + std::to_string(e.mark.line + 1) + " column " +
                         std::to_string(e.mark.column + 1) + ": " + e.msg};
    }
    // An empty file is an empty map: the reader then names the first missing key.
    if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    Config config;
    try {
      config = decode(YamlReader(root, ""));
    } catch (const ReadError& e) {
      return ConfigError{source + ": " + e.path() + ": " + e.what()};
    }
    if (auto problem = check(config)) return ConfigError{source + ": " + problem->path + ": " + problem->message};
    return config;
  } catch (const std::exception& e) {
    return ConfigError{source + ": " + e.what()};
  } catch (...) {
    return ConfigError{source + ": unexpected error"};
  }
}

// Reads `path`, parses it as above (named by its path in messages), then `resolve(config, dir)`
// rewrites the config's relative paths against the file's directory.
template <class Config, class Decode, class Check, class Resolve>
std::variant<Config, ConfigError> load_file(const std::string& path, Decode decode, Check check, Resolve resolve) {
  std::string text;
  std::string reason;
  if (!read_file(path, text, reason)) return ConfigError{path + ": cannot read: " + reason};
  auto result = parse_text<Config>(text, path, decode, check);
  if (auto* config = std::get_if<Config>(&result)) {
    try {
      resolve(*config, std::filesystem::path(path).parent_path());
    } catch (const std::exception& e) {
      return ConfigError{path + ": " + e.what()};
    }
  }
  return result;
}

}  // namespace switchyard::config::loading
