#pragma once
// Helpers shared by the sy_config tests: run the loader and get either the config or the message.

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "config/load_proxy_config.hpp"

namespace switchyard::config::test {

// The error message, or "<valid>" when the text parsed.
inline std::string error_of(const std::string& yaml) {
  auto result = parse_proxy_config(yaml, "proxy.yaml");
  if (auto* error = std::get_if<ConfigError>(&result)) return error->message;
  return "<valid>";
}

// The parsed configuration; fails the calling test when the text is refused.
inline ProxyConfig parse_ok(const std::string& yaml) {
  auto result = parse_proxy_config(yaml, "proxy.yaml");
  if (auto* error = std::get_if<ConfigError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->message;
    return {};
  }
  return std::get<ProxyConfig>(std::move(result));
}

}  // namespace switchyard::config::test
