// YamlReader: type checks and key-path bookkeeping over yaml-cpp nodes.
#include "config/yaml_reader.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "config/load_proxy_config.hpp"

namespace switchyard::config {
namespace {

// yaml-cpp tags quoted scalars "!" and plain ones "?": `weight: "5"` is a string, not a number.
bool is_plain_scalar(const YAML::Node& node) {
  return node.IsScalar() && node.Tag() != "!";
}

}  // namespace

void YamlReader::fail(const std::string& message) const {
  throw ReadError(path_.empty() ? "(top level)" : path_, message);
}

std::string YamlReader::child_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

void YamlReader::expect_map(std::initializer_list<std::string_view> allowed) const {
  if (!node_.IsMap()) fail("must be a map");
  std::set<std::string> seen;
  for (const auto& item : node_) {
    if (!item.first.IsScalar()) fail("keys must be strings");
    const std::string key = item.first.Scalar();
    bool known = false;
    for (auto name : allowed) known = known || name == key;
    // yaml-cpp keeps only one of two equal keys: refuse rather than guess which one was meant.
    if (!known) throw ReadError(child_path(key), "unknown key");
    if (!seen.insert(key).second) throw ReadError(child_path(key), "duplicate key");
  }
}

bool YamlReader::has(std::string_view key) const {
  return node_.IsMap() && node_[std::string(key)].IsDefined();
}

std::optional<YamlReader> YamlReader::optional(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return YamlReader(node_[std::string(key)], child_path(key));
}

YamlReader YamlReader::required(std::string_view key) const {
  if (!has(key)) throw ReadError(child_path(key), "is required");
  return YamlReader(node_[std::string(key)], child_path(key));
}

std::vector<YamlReader> YamlReader::list() const {
  if (!node_.IsSequence()) fail("must be a list");
  std::vector<YamlReader> items;
  items.reserve(node_.size());
  for (std::size_t i = 0; i < node_.size(); ++i) {
    items.emplace_back(node_[i], path_ + "[" + std::to_string(i) + "]");
  }
  return items;
}

std::vector<std::pair<std::string, YamlReader>> YamlReader::entries() const {
  if (!node_.IsMap()) fail("must be a map");
  std::set<std::string> seen;
  std::vector<std::pair<std::string, YamlReader>> items;
  for (const auto& item : node_) {
    if (!item.first.IsScalar()) fail("keys must be strings");
    const std::string key = item.first.Scalar();
    if (!seen.insert(key).second) throw ReadError(child_path(key), "duplicate key");
    items.emplace_back(key, YamlReader(item.second, child_path(key)));
  }
  return items;
}

std::string YamlReader::string() const {
  if (!node_.IsScalar()) fail("must be a string");
  return node_.Scalar();
}

std::uint32_t YamlReader::u32(rules::Range range) const {
  if (!is_plain_scalar(node_)) fail("must be an integer");
  const std::string& text = node_.Scalar();
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Too many digits: report it against the range like any other out-of-range number.
    value = text.front() == '-' ? std::numeric_limits<std::int64_t>::min()
                                : std::numeric_limits<std::int64_t>::max();
  } else if (ec != std::errc() || end != text.data() + text.size()) {
    fail("must be an integer");
  }
  if (auto message = rules::check_range(value, range); !message.empty()) fail(message);
  return static_cast<std::uint32_t>(value);
}

double YamlReader::number() const {
  if (!is_plain_scalar(node_)) fail("must be a number");
  const std::string& text = node_.Scalar();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    fail("must be a number");
  }
  return value;
}

HostPort YamlReader::address() const {
  HostPort out;
  if (auto message = parse_host_port(string(), out); !message.empty()) fail(message);
  return out;
}

}  // namespace switchyard::config
