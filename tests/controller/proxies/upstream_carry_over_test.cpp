// ProxyClient::put_upstream against a real proxy: keys the proxy's YAML set on an upstream and
// the controller does not manage (limits, outlier detection, its health check) survive the
// controller replacing the upstream's endpoints.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "controller/proxies/proxy_client.hpp"
#include "tests/support/demo_backend.hpp"
#include "tests/support/proxy_process.hpp"

namespace switchyard::controller::proxies {
namespace {

namespace json = boost::json;

std::string proxy_yaml(const test::DemoBackend& v1) {
  return "listeners:\n  - address: 127.0.0.1:0\n"
         "admin:\n  address: 127.0.0.1:0\n"
         "workers: 1\n"
         "upstreams:\n"
         "  - name: shop-v1\n"
         "    endpoints: [" + v1.address() + "]\n"
         "    max_connections: 7\n"
         "    max_pending: 3\n"
         "    max_requests: 11\n"
         "    outlier_detection: { enabled: true, consecutive_failures: 4, base_ejection_ms: 1500,"
         " max_ejection_ms: 9000 }\n"
         "    health_check: { path: /healthz, interval_ms: 5000 }\n"
         "routes:\n"
         "  - name: shop\n"
         "    split:\n"
         "      - { version: v1, upstream: shop-v1, weight: 100 }\n";
}

// The upstream `name` as GET /v1/config shows it.
json::object upstream_in_config(ProxyClient& client, const std::string& name) {
  const auto config = client.get_config();
  EXPECT_TRUE(config.result.ok) << config.result.error;
  for (const auto& upstream : config.config.at("upstreams").as_array()) {
    if (upstream.at("name").as_string() == name) return upstream.as_object();
  }
  ADD_FAILURE() << "no upstream " << name;
  return {};
}

class UpstreamCarryOver : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(v1_.ok() && v2_.ok() && proxy_.ok()); }
  test::DemoBackend v1_{"v1"};
  test::DemoBackend v2_{"v2"};
  test::ProxyProcess proxy_{proxy_yaml(v1_)};
};

TEST_F(UpstreamCarryOver, ReplacingEndpointsKeepsLimitsOutlierDetectionAndHealthCheck) {
  ProxyClient client({config::HostPort{"127.0.0.1", proxy_.admin_port()}, ""});
  auto before = upstream_in_config(client, "shop-v1");
  const auto put = client.put_upstream("shop-v1", {v2_.address()});
  ASSERT_TRUE(put.ok) << put.error;
  auto after = upstream_in_config(client, "shop-v1");
  EXPECT_EQ(after.at("endpoints"), json::array{json::string(v2_.address())});
  after.erase("endpoints");
  before.erase("endpoints");
  EXPECT_EQ(after, before) << json::serialize(after);
  EXPECT_EQ(after.at("max_connections").to_number<int>(), 7);
  EXPECT_EQ(after.at("max_pending").to_number<int>(), 3);
  EXPECT_EQ(after.at("max_requests").to_number<int>(), 11);
  EXPECT_EQ(after.at("outlier_detection").at("consecutive_failures").to_number<int>(), 4);
  EXPECT_EQ(after.at("outlier_detection").at("max_ejection_ms").to_number<int>(), 9000);
  EXPECT_EQ(after.at("health_check").at("interval_ms").to_number<int>(), 5000);
}

TEST_F(UpstreamCarryOver, TheControllersHealthCheckReplacesTheProxysOne) {
  ProxyClient client({config::HostPort{"127.0.0.1", proxy_.admin_port()}, ""});
  config::HealthCheckConfig check;
  check.path = "/ready";
  check.interval_ms = 2000;
  const auto put = client.put_upstream("shop-v1", {v2_.address()}, check);
  ASSERT_TRUE(put.ok) << put.error;
  const auto after = upstream_in_config(client, "shop-v1");
  EXPECT_EQ(after.at("health_check").at("path").as_string(), "/ready");
  EXPECT_EQ(after.at("health_check").at("interval_ms").to_number<int>(), 2000);
  EXPECT_EQ(after.at("max_connections").to_number<int>(), 7);
}

TEST_F(UpstreamCarryOver, ANewUpstreamGetsOnlyWhatTheControllerSets) {
  ProxyClient client({config::HostPort{"127.0.0.1", proxy_.admin_port()}, ""});
  const auto put = client.put_upstream("shop-v2", {v2_.address()});
  ASSERT_TRUE(put.ok) << put.error;
  EXPECT_EQ(put.status, 201);
  const auto after = upstream_in_config(client, "shop-v2");
  EXPECT_TRUE(after.at("health_check").is_null());
  EXPECT_EQ(after.at("max_connections").to_number<int>(), 0);
}

TEST_F(UpstreamCarryOver, FailsWithoutReplacingWhenTheProxyIsUnreachable) {
  ProxyClient client({config::HostPort{"127.0.0.1", 1}, ""}, ProxyClientOptions{std::chrono::milliseconds(500)});
  const auto put = client.put_upstream("shop-v1", {v2_.address()});
  EXPECT_FALSE(put.ok);
  EXPECT_NE(put.error.find("reading upstream shop-v1 before replacing it"), std::string::npos) << put.error;
}

}  // namespace
}  // namespace switchyard::controller::proxies
