#pragma once
// Loading and validating the proxy configuration. Every error is one line:
//   "<file>: <key path>: <what is wrong>"   e.g. "proxy.yaml: routes[0].split[1].weight: must be >= 0"
// No exception crosses this interface.

#include <string>
#include <string_view>
#include <variant>

#include "config/proxy_config.hpp"

namespace switchyard::config {

struct ConfigError {
  std::string message;  // the full one-line message, file and key path included
};

using ProxyConfigResult = std::variant<ProxyConfig, ConfigError>;

// Reads and validates FILE. Relative TLS/token paths are resolved against FILE's directory.
ProxyConfigResult load_proxy_config_file(const std::string& path);

// Parses and validates YAML text; `source_name` is used as the file name in messages.
ProxyConfigResult parse_proxy_config(std::string_view yaml_text, const std::string& source_name);

// Re-validates a configuration changed at run time (admin API): same rules as the loader,
// messages prefixed with `source_name` (e.g. "split" or "upstreams").
// Returns an empty string when valid.
std::string validate_proxy_config(const ProxyConfig& config, const std::string& source_name);

// Parses "host:port" / "[v6]:port"; returns an error description (no key path) or empty on success.
std::string parse_host_port(std::string_view text, HostPort& out);

}  // namespace switchyard::config
