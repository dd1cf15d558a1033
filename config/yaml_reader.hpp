#pragma once
// A thin reader over yaml-cpp that remembers where it is ("routes[0].split[1].weight") so
// that every problem can be reported with its key path. Used only inside the loader: it
// throws ReadError, which load_proxy_config.cpp turns into a ConfigError.
// Not thread-safe (wraps yaml-cpp nodes); one instance per load.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config_rules.hpp"

namespace switchyard::config {

// A problem at a key path; never leaves the loader.
class ReadError : public std::runtime_error {
 public:
  ReadError(std::string path, const std::string& message)
      : std::runtime_error(message), path_(std::move(path)) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class YamlReader {
 public:
  YamlReader(YAML::Node node, std::string path) : node_(std::move(node)), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  [[noreturn]] void fail(const std::string& message) const;

  // Requires a map whose keys are all in `allowed` and appear once each.
  void expect_map(std::initializer_list<std::string_view> allowed) const;
  // Child of a map checked by expect_map(); absent keys give nothing / a "is required" error.
  std::optional<YamlReader> optional(std::string_view key) const;
  YamlReader required(std::string_view key) const;
  bool has(std::string_view key) const;

  std::vector<YamlReader> list() const;  // requires a sequence
  bool is_list() const { return node_.IsSequence(); }
  // A map with free-form keys (e.g. variables under `config:`): its entries in document order.
  std::vector<std::pair<std::string, YamlReader>> entries() const;
  std::string string() const;            // any non-null scalar
  bool is_scalar() const { return node_.IsScalar(); }
  std::uint32_t u32(rules::Range range) const;
  double number() const;                 // finite, plain (unquoted) scalar
  HostPort address() const;

 private:
  std::string child_path(std::string_view key) const;

  YAML::Node node_;
  std::string path_;
};

}  // namespace switchyard::config
