// validate_proxy_config(): the loader's rules applied to configurations changed in memory.
#include "config/load_proxy_config.hpp"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.hpp"

namespace switchyard::config {
namespace {

ProxyConfig valid_config() {
  return test::parse_ok(R"(
listeners: [{address: 127.0.0.1:8080}]
upstreams: [{name: shop-blue, endpoints: [127.0.0.1:9001]}, {name: shop-green}]
routes:
  - name: shop
    split: [{version: stable, upstream: shop-blue, weight: 95}, {version: canary, upstream: shop-green, weight: 5}]
    guard: {revert_to: stable}
)");
}

TEST(ValidateProxyConfigTest, ValidConfigPasses) {
  EXPECT_EQ(validate_proxy_config(valid_config(), "split"), "");
}

TEST(ValidateProxyConfigTest, SplitReferencingUnknownUpstream) {
  ProxyConfig config = valid_config();
  config.routes[0].split.push_back({"next", "shop-purple", 1});
  EXPECT_EQ(validate_proxy_config(config, "split"),
            "split: routes[0].split[2].upstream: unknown upstream 'shop-purple'");
}

TEST(ValidateProxyConfigTest, SplitDroppingTheGuardsRevertVersion) {
  ProxyConfig config = valid_config();
  config.routes[0].split = {{"canary", "shop-green", 100}};
  EXPECT_EQ(validate_proxy_config(config, "split"), "split: routes[0].guard.revert_to: unknown version 'stable'");
}

TEST(ValidateProxyConfigTest, AllWeightsZero) {
  ProxyConfig config = valid_config();
  for (auto& entry : config.routes[0].split) entry.weight = 0;
  EXPECT_EQ(validate_proxy_config(config, "weights"), "weights: routes[0].split: weights sum to 0");
}

TEST(ValidateProxyConfigTest, WeightAboveMaximum) {
  ProxyConfig config = valid_config();
  config.routes[0].split[1].weight = 1'000'001;
  EXPECT_EQ(validate_proxy_config(config, "weights"), "weights: routes[0].split[1].weight: must be <= 1000000");
}

TEST(ValidateProxyConfigTest, DuplicateUpstreamAdded) {
  ProxyConfig config = valid_config();
  config.upstreams.push_back(UpstreamConfig{"shop-blue", {}, std::nullopt});
  EXPECT_EQ(validate_proxy_config(config, "upstreams"), "upstreams: upstreams[2].name: duplicate upstream name 'shop-blue'");
}

TEST(ValidateProxyConfigTest, EndpointThatIsNotAnIpLiteral) {
  ProxyConfig config = valid_config();
  config.upstreams[1].endpoints.push_back(HostPort{"backend.internal", 80});
  EXPECT_EQ(validate_proxy_config(config, "upstreams"),
            "upstreams: upstreams[1].endpoints[0]: must be an IP literal, got 'backend.internal'");
}

TEST(ValidateProxyConfigTest, HealthCheckRanges) {
  ProxyConfig config = valid_config();
  config.upstreams[0].health_check = HealthCheckConfig{"/healthz", 1000, 0, 2, 3};
  EXPECT_EQ(validate_proxy_config(config, "upstreams"), "upstreams: upstreams[0].health_check.timeout_ms: must be > 0");
}

TEST(ValidateProxyConfigTest, UpperCaseHeaderNameIsRefused) {
  ProxyConfig config = valid_config();
  config.routes[0].override_header = "X-Version";
  EXPECT_EQ(validate_proxy_config(config, "routes"), "routes: routes[0].override_header: must be lower-case");
}

TEST(ValidateProxyConfigTest, NaNErrorRateIsRefused) {
  ProxyConfig config = valid_config();
  config.routes[0].guard->max_error_rate = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(validate_proxy_config(config, "routes"), "routes: routes[0].guard.max_error_rate: must be between 0 and 1");
}

}  // namespace
}  // namespace switchyard::config
