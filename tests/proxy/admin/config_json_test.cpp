#include "proxy/admin/config_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "admin_test_config.hpp"

namespace switchyard::proxy::admin {
namespace {

using config::HostPort;

// One listener, one upstream, one route: small enough to spell the canonical text out.
config::ProxyConfig small_config() {
  config::ProxyConfig cfg;
  cfg.listeners.push_back({HostPort{"127.0.0.1", 8080}, std::nullopt});
  cfg.listeners.push_back({HostPort{"::1", 8443}, config::TlsConfig{"/c.pem", "/k.pem", {}}});
  cfg.admin.token_file = "/etc/sy/admin.token";
  cfg.upstreams.push_back({"blue", {HostPort{"127.0.0.1", 18081}}, config::HealthCheckConfig{}});
  cfg.upstreams.push_back({"green", {}, std::nullopt});
  config::RouteConfig route;
  route.name = "shop";
  route.split = {{"stable", "blue", 95}, {"canary", "green", 5}};
  route.sticky = {config::StickyConfig::Kind::header, "x-user"};
  route.guard = config::GuardConfig{};
  route.guard->revert_to = "stable";
  cfg.routes.push_back(route);
  return cfg;
}

TEST(ConfigJsonTest, CanonicalTextIsExact) {
  const std::string expected =
      R"({"listeners":[{"address":"127.0.0.1:8080","tls":null,"max_connections":0},)"
      R"({"address":"[::1]:8443","tls":{"cert":"/c.pem","key":"/k.pem"},"max_connections":0}],)"
      R"("admin":{"address":"127.0.0.1:9901","token_file":"/etc/sy/admin.token"},)"
      R"("workers":0,"timeouts":{"connect_ms":1000,"request_ms":30000,"idle_ms":60000,"drain_ms":10000},)"
      R"("limits":{"max_header_bytes":65536,"max_headers":100,"max_request_line_bytes":8192,)"
      R"("max_body_bytes":0,"header_timeout_ms":10000},)"
      R"("upstreams":[{"name":"blue","endpoints":["127.0.0.1:18081"],"health_check":)"
      R"({"path":"/healthz","interval_ms":1000,"timeout_ms":500,"healthy":2,"unhealthy":3},)"
      R"("outlier_detection":{"enabled":true,"consecutive_failures":5,"base_ejection_ms":10000,"max_ejection_ms":300000},)"
      R"("max_connections":0,"max_pending":0,"max_requests":0},)"
      R"({"name":"green","endpoints":[],"health_check":null,)"
      R"("outlier_detection":{"enabled":true,"consecutive_failures":5,"base_ejection_ms":10000,"max_ejection_ms":300000},)"
      R"("max_connections":0,"max_pending":0,"max_requests":0}],)"
      R"("routes":[{"name":"shop","match":{"host":"","path_prefix":"/"},)"
      R"("split":[{"version":"stable","upstream":"blue","weight":95},{"version":"canary","upstream":"green","weight":5}],)"
      R"("sticky":{"header":"x-user"},"override_header":"",)"
      R"("guard":{"revert_to":"stable","window_ms":10000,"min_requests":20,"max_error_rate":0.05,"max_p99_ms":0}}]})";
  EXPECT_EQ(canonical_config_json(small_config()), expected);
}

TEST(ConfigJsonTest, SeveralCertificatesAreShownAsWritten) {
  auto cfg = small_config();
  cfg.listeners[1].tls = config::TlsConfig{"", "", {{"/a.pem", "/a.key"}, {"/b.pem", "/b.key"}}};
  EXPECT_NE(canonical_config_json(cfg).find(
                R"("tls":{"certificates":[{"cert":"/a.pem","key":"/a.key"},{"cert":"/b.pem","key":"/b.key"}]})"),
            std::string::npos);
}

TEST(ConfigJsonTest, CanonicalTextIsValidJsonAndEscapesStrings) {
  auto cfg = small_config();
  cfg.routes[0].match.path_prefix = "/a\"b\\c\x01";
  const auto text = canonical_config_json(cfg);
  EXPECT_NE(text.find(R"("path_prefix":"/a\"b\\c\u0001")"), std::string::npos) << text;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(parsed.at("routes").at(0).at("match").at("path_prefix"), "/a\"b\\c\x01");
}

TEST(ConfigJsonTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ConfigJsonTest, EqualConfigsHashEquallyAndAnyRoutingChangeChangesTheHash) {
  const auto base = config_hash(small_config());
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(config_hash(small_config()), base);

  auto weights = small_config();
  weights.routes[0].split[1].weight = 6;
  EXPECT_NE(config_hash(weights), base);
  auto threshold = small_config();
  threshold.routes[0].guard->max_error_rate = 0.051;
  EXPECT_NE(config_hash(threshold), base);
  auto endpoint = small_config();
  endpoint.upstreams[1].endpoints.push_back(HostPort{"127.0.0.1", 1});
  EXPECT_NE(config_hash(endpoint), base);
  auto sticky = small_config();
  sticky.routes[0].sticky.kind = config::StickyConfig::Kind::cookie;
  EXPECT_NE(config_hash(sticky), base) << "cookie vs header with the same name differ";
  auto timeouts = small_config();
  timeouts.timeouts.idle_ms += 1;
  EXPECT_NE(config_hash(timeouts), base);
}

}  // namespace
}  // namespace switchyard::proxy::admin
