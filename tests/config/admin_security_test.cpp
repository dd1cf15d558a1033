// The admin API changes routing, so it may listen beyond this host only behind a bearer token:
// a non-loopback admin.address without admin.token_file is refused by the loader and by
// validate_proxy_config (same rule).
#include <gtest/gtest.h>

#include <string>

#include "config/load_proxy_config.hpp"
#include "tests/config/config_test_util.hpp"

namespace switchyard::config {
namespace {

using test::error_of;

std::string with_admin(const std::string& admin) {
  return "listeners: [{address: 127.0.0.1:8080}]\nadmin: " + admin + "\n";
}

TEST(AdminSecurityTest, NonLoopbackAdminWithoutTokenIsRefusedNamingTheKey) {
  EXPECT_EQ(error_of(with_admin("{address: 0.0.0.0:9901}")),
            "proxy.yaml: admin.address: '0.0.0.0:9901' is not a loopback address: set "
            "admin.token_file or bind 127.0.0.1 / [::1]");
  EXPECT_EQ(error_of(with_admin("{address: '[::]:9901'}")),
            "proxy.yaml: admin.address: '[::]:9901' is not a loopback address: set "
            "admin.token_file or bind 127.0.0.1 / [::1]");
  EXPECT_NE(error_of(with_admin("{address: 10.1.2.3:9901}")), "<valid>");
  EXPECT_NE(error_of(with_admin("{address: 128.0.0.1:9901}")), "<valid>") << "just past 127/8";
  EXPECT_NE(error_of(with_admin("{address: '[::2]:9901'}")), "<valid>");
}

TEST(AdminSecurityTest, LoopbackAdminNeedsNoToken) {
  EXPECT_EQ(error_of(with_admin("{address: 127.0.0.1:9901}")), "<valid>");
  EXPECT_EQ(error_of(with_admin("{address: 127.255.0.9:9901}")), "<valid>") << "all of 127/8";
  EXPECT_EQ(error_of(with_admin("{address: localhost:9901}")), "<valid>");
  EXPECT_EQ(error_of(with_admin("{address: '[::1]:9901'}")), "<valid>");
  EXPECT_EQ(error_of(with_admin("{address: '[::ffff:127.0.0.1]:9901'}")), "<valid>");
  EXPECT_EQ(error_of("listeners: [{address: 127.0.0.1:8080}]\n"), "<valid>")
      << "the default admin address is 127.0.0.1:9901";
}

TEST(AdminSecurityTest, NonLoopbackAdminWithTokenFileIsAccepted) {
  EXPECT_EQ(error_of(with_admin("{address: 0.0.0.0:9901, token_file: admin.token}")), "<valid>");
  EXPECT_EQ(error_of(with_admin("{address: '[::]:9901', token_file: /etc/sy/token}")), "<valid>");
}

TEST(AdminSecurityTest, RunTimeValidationAppliesTheSameRule) {
  ProxyConfig config;
  config.listeners.push_back({HostPort{"127.0.0.1", 8080}, std::nullopt});
  EXPECT_EQ(validate_proxy_config(config, "check"), "");
  config.admin.address = HostPort{"192.168.1.10", 9901};
  EXPECT_EQ(validate_proxy_config(config, "check"),
            "check: admin.address: '192.168.1.10:9901' is not a loopback address: set "
            "admin.token_file or bind 127.0.0.1 / [::1]");
  config.admin.token_file = "/run/token";
  EXPECT_EQ(validate_proxy_config(config, "check"), "");
}

}  // namespace
}  // namespace switchyard::config
