// The `limits:` section and listeners[].max_connections: defaults, decoding, validation messages.

#include <gtest/gtest.h>

#include "config/load_proxy_config.hpp"
#include "tests/config/config_test_util.hpp"

namespace switchyard::config::test {
namespace {

const std::string kListener = "listeners: [{address: 127.0.0.1:8080}]\n";

TEST(LimitsConfig, DefaultsWhenAbsent) {
  const ProxyConfig config = parse_ok(kListener);
  EXPECT_EQ(config.limits.max_header_bytes, 64u * 1024);
  EXPECT_EQ(config.limits.max_headers, 100u);
  EXPECT_EQ(config.limits.max_request_line_bytes, 8u * 1024);
  EXPECT_EQ(config.limits.max_body_bytes, 0u);
  EXPECT_EQ(config.limits.header_timeout_ms, 10000u);
  EXPECT_EQ(config.listeners[0].max_connections, 0u);
}

TEST(LimitsConfig, EveryKeyIsRead) {
  const ProxyConfig config = parse_ok(
      "listeners: [{address: 127.0.0.1:8080, max_connections: 500}]\n"
      "limits: {max_header_bytes: 4096, max_headers: 20, max_request_line_bytes: 1024, max_body_bytes: 1048576,"
      " header_timeout_ms: 2500}\n");
  EXPECT_EQ(config.listeners[0].max_connections, 500u);
  EXPECT_EQ(config.limits.max_header_bytes, 4096u);
  EXPECT_EQ(config.limits.max_headers, 20u);
  EXPECT_EQ(config.limits.max_request_line_bytes, 1024u);
  EXPECT_EQ(config.limits.max_body_bytes, 1048576u);
  EXPECT_EQ(config.limits.header_timeout_ms, 2500u);
}

TEST(LimitsConfig, BadValuesNameTheirKey) {
  EXPECT_EQ(error_of(kListener + "limits: {max_headers: 0}\n"), "proxy.yaml: limits.max_headers: must be > 0");
  EXPECT_EQ(error_of(kListener + "limits: {max_header_bytes: 100}\n"),
            "proxy.yaml: limits.max_header_bytes: must be >= 256");
  EXPECT_EQ(error_of(kListener + "limits: {header_timeout_ms: 0}\n"),
            "proxy.yaml: limits.header_timeout_ms: must be > 0");
  EXPECT_EQ(error_of(kListener + "limits: {max_header_bytes: 1024, max_request_line_bytes: 2048}\n"),
            "proxy.yaml: limits.max_request_line_bytes: must be <= limits.max_header_bytes");
  EXPECT_EQ(error_of(kListener + "limits: {max_body_bytes: -1}\n"), "proxy.yaml: limits.max_body_bytes: must be >= 0");
  EXPECT_EQ(error_of(kListener + "limits: {max_bytes: 1}\n"), "proxy.yaml: limits.max_bytes: unknown key");
  EXPECT_EQ(error_of("listeners: [{address: 127.0.0.1:8080, max_connections: -1}]\n"),
            "proxy.yaml: listeners[0].max_connections: must be >= 0");
}

TEST(LimitsConfig, RunTimeValidationAppliesTheSameRules) {
  ProxyConfig config = parse_ok(kListener);
  config.limits.max_headers = 0;
  EXPECT_EQ(validate_proxy_config(config, "change"), "change: limits.max_headers: must be > 0");
}

}  // namespace
}  // namespace switchyard::config::test
