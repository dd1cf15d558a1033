// Entry points of the loader: file reading, YAML parsing, error formatting and the
// exception boundary (nothing thrown inside sy_config crosses these functions).
#include "config/load_proxy_config.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "config/config_rules.hpp"
#include "config/decode_proxy_config.hpp"
#include "config/yaml_reader.hpp"

namespace switchyard::config {
namespace {

ConfigError error(const std::string& source, const std::string& path, const std::string& message) {
  return ConfigError{source + ": " + path + ": " + message};
}

ProxyConfigResult parse_and_check(std::string_view yaml_text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::ParserException& e) {
    return ConfigError{source + ": line " + std::to_string(e.mark.line + 1) + " column " +
                       std::to_string(e.mark.column + 1) + ": " + e.msg};
  }
  // An empty file is an empty map: the reader then names the first missing key.
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  ProxyConfig config;
  try {
    config = decode_proxy_config(YamlReader(root, ""));
  } catch (const ReadError& e) {
    return error(source, e.path(), e.what());
  }
  if (auto problem = rules::check_proxy_config(config)) {
    return error(source, problem->path, problem->message);
  }
  return config;
}

// Reads a whole file; on failure returns false with `reason` set from errno.
bool read_file(const std::string& path, std::string& text, std::string& reason) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    reason = std::strerror(errno);
    return false;
  }
  char buffer[8192];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  if (std::ferror(file.get())) {
    reason = std::strerror(errno);  // e.g. EISDIR: fopen() accepts a directory, fread() does not
    return false;
  }
  return true;
}

void resolve_against(const std::filesystem::path& dir, std::string& file) {
  if (file.empty() || dir.empty()) return;
  const std::filesystem::path path(file);
  if (path.is_relative()) file = (dir / path).lexically_normal().string();
}

// Relative paths in the file mean "next to the file", not "next to the working directory".
void resolve_paths(ProxyConfig& config, const std::string& config_path) {
  const auto dir = std::filesystem::path(config_path).parent_path();
  for (auto& listener : config.listeners) {
    if (!listener.tls) continue;
    resolve_against(dir, listener.tls->cert);
    resolve_against(dir, listener.tls->key);
  }
  resolve_against(dir, config.admin.token_file);
}

}  // namespace

ProxyConfigResult parse_proxy_config(std::string_view yaml_text, const std::string& source_name) {
  try {
    return parse_and_check(yaml_text, source_name);
  } catch (const std::exception& e) {
    return ConfigError{source_name + ": " + e.what()};
  } catch (...) {
    return ConfigError{source_name + ": unexpected error"};
  }
}

ProxyConfigResult load_proxy_config_file(const std::string& path) {
  try {
    std::string text;
    std::string reason;
    if (!read_file(path, text, reason)) return ConfigError{path + ": cannot read: " + reason};
    auto result = parse_and_check(text, path);
    if (auto* config = std::get_if<ProxyConfig>(&result)) resolve_paths(*config, path);
    return result;
  } catch (const std::exception& e) {
    return ConfigError{path + ": " + e.what()};
  } catch (...) {
    return ConfigError{path + ": unexpected error"};
  }
}

}  // namespace switchyard::config
