// Active health checks: an endpoint whose /healthz fails goes down after `unhealthy` checks,
// traffic moves to the other endpoint without a failed request, the event and the gauge show it,
// and it comes back after `healthy` passing checks. No usable endpoint: 503, counted.

#include <gtest/gtest.h>

#include "tests/integration/health_test_util.hpp"

namespace switchyard::test {
namespace {

std::string health_config(const std::string& endpoints, const std::string& upstream_extra = "") {
  return "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\nworkers: 2\n"
         "upstreams:\n"
         "  - name: shop\n    endpoints: [" + endpoints + "]\n"
         "    health_check: { path: /healthz, interval_ms: 100, timeout_ms: 100, healthy: 2, unhealthy: 2 }\n" +
         upstream_extra +
         "routes:\n"
         "  - name: shop\n    match: { path_prefix: / }\n"
         "    split: [ { version: v1, upstream: shop, weight: 1 } ]\n";
}

std::string gauge_line(const std::string& address, int value) {
  return "switchyard_endpoint_healthy{upstream=\"shop\",endpoint=\"" + address + "\"} " + std::to_string(value);
}

TEST(ProxyHealth, FailingHealthCheckMovesTrafficAndComesBack) {
  DemoBackend blue("blue");
  DemoBackend green("green");
  ProxyProcess proxy(health_config(blue.address() + ", " + green.address()));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  EXPECT_EQ(endpoint_state(proxy, "shop", blue.address()), "healthy");

  ASSERT_EQ(put_faults(blue, R"({"healthz_status":503})"), 200);
  int failed = 0;
  // Traffic keeps flowing while the checks judge blue: none of it may fail.
  ASSERT_TRUE(eventually([&] {
    if (client.request("GET", "/").status != 200) ++failed;
    return endpoint_state(proxy, "shop", blue.address()) == "unhealthy";
  }));
  EXPECT_EQ(failed, 0);
  const auto view = endpoint_view(proxy, "shop", blue.address());
  EXPECT_EQ(view.at("healthy"), false);
  EXPECT_EQ(view.at("last_error"), "status 503");
  EXPECT_GE(view.at("check_failures").to_number<int>(), 2);
  EXPECT_TRUE(view.at("last_check_ms").is_int64());

  for (int i = 0; i < 20; ++i) {
    const auto response = client.request("GET", "/");
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(answered_by(response), "green");
  }
  const auto down = endpoint_events(proxy, "endpoint_down", blue.address());
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].at("upstream"), "shop");
  EXPECT_EQ(down[0].at("reason"), "health check failed");
  EXPECT_EQ(down[0].at("error"), "status 503");
  EXPECT_NE(metrics_text(proxy).find(gauge_line(blue.address(), 0)), std::string::npos);
  EXPECT_NE(metrics_text(proxy).find(gauge_line(green.address(), 1)), std::string::npos);

  ASSERT_EQ(put_faults(blue, R"({"healthz_status":200})"), 200);
  ASSERT_TRUE(eventually([&] { return endpoint_state(proxy, "shop", blue.address()) == "healthy"; }));
  EXPECT_EQ(endpoint_events(proxy, "endpoint_up", blue.address()).size(), 1u);
  EXPECT_NE(metrics_text(proxy).find(gauge_line(blue.address(), 1)), std::string::npos);
  bool blue_again = false;
  for (int i = 0; i < 20 && !blue_again; ++i) blue_again = answered_by(client.request("GET", "/")) == "blue";
  EXPECT_TRUE(blue_again);
}

TEST(ProxyHealth, NoUsableEndpointAnswers503CountedAgainstTheVersion) {
  DemoBackend blue("blue");
  DemoBackend green("green");
  ProxyProcess proxy(health_config(blue.address() + ", " + green.address()));
  ASSERT_TRUE(proxy.ok());
  ASSERT_EQ(put_faults(blue, R"({"healthz_status":500})"), 200);
  ASSERT_EQ(put_faults(green, R"({"healthz_status":500})"), 200);
  ASSERT_TRUE(eventually([&] {
    return endpoint_state(proxy, "shop", blue.address()) == "unhealthy" &&
           endpoint_state(proxy, "shop", green.address()) == "unhealthy";
  }));
  const auto before = version_counts(proxy, "shop", "v1");
  HttpClient client("127.0.0.1", proxy.port());
  for (int i = 0; i < 5; ++i) {
    auto response = client.request("GET", "/");
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(response.headers["x-switchyard-error"], "no_endpoint");
  }
  ASSERT_TRUE(eventually([&] {
    const auto after = version_counts(proxy, "shop", "v1");
    return after.first - before.first == 5 && after.second - before.second == 5;
  }, std::chrono::seconds(3)));
}

TEST(ProxyHealth, ReplacedUpstreamChecksNewEndpointsAndForgetsRemovedOnes) {
  DemoBackend blue("blue");
  DemoBackend green("green");
  ProxyProcess proxy(health_config(blue.address()));
  ASSERT_TRUE(proxy.ok());
  ASSERT_EQ(put_faults(green, R"({"healthz_status":503})"), 200);
  const std::string body = R"({"endpoints":[")" + green.address() +
                           R"("],"health_check":{"path":"/healthz","interval_ms":100,"timeout_ms":100,"healthy":2,"unhealthy":2}})";
  ASSERT_EQ(http_request("127.0.0.1", proxy.admin_port(), "PUT", "/v1/upstreams/shop", body).status, 200);
  ASSERT_TRUE(eventually([&] { return endpoint_state(proxy, "shop", green.address()) == "unhealthy"; }));
  EXPECT_TRUE(endpoint_view(proxy, "shop", blue.address()).empty());
  HttpClient client("127.0.0.1", proxy.port());
  EXPECT_EQ(client.request("GET", "/").status, 503);
  ASSERT_EQ(put_faults(green, R"({"healthz_status":200})"), 200);
  ASSERT_TRUE(eventually([&] { return client.request("GET", "/").status == 200; }));
}

}  // namespace
}  // namespace switchyard::test
