// Inline measurement end to end: requests through a real proxy, /metrics parsed by the real
// Prometheus parser (Debian's python3-prometheus-client), counts compared exactly.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "tests/integration/proxy_test_util.hpp"
#include "tests/support/prometheus_samples.hpp"

namespace switchyard::test {
namespace {

// The reference parser (tests/support/prometheus_samples.hpp).
boost::json::object parse_prometheus(const std::string& text) { return prometheus_samples(text); }

double sample(const boost::json::object& samples, const std::string& key) {
  auto it = samples.find(key);
  if (it == samples.end()) {
    ADD_FAILURE() << "no sample " << key;
    return -1;
  }
  return it->value().to_number<double>();
}

TEST(ProxyMetrics, CountsEqualRequestsSent) {
  DemoBackend blue("blue"), green("green");
  // Route "dead" (first, so it wins for /dead) goes to an endpoint that refuses connections.
  ProxyProcess proxy("listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\nworkers: 2\n"
                     "upstreams:\n"
                     "  - { name: shop-blue, endpoints: [" + blue.address() + "] }\n"
                     "  - { name: shop-green, endpoints: [" + green.address() + "] }\n"
                     "  - { name: nowhere, endpoints: [127.0.0.1:1] }\n"
                     "routes:\n"
                     "  - name: dead\n    match: { path_prefix: /dead }\n"
                     "    split: [ { version: v1, upstream: nowhere, weight: 1 } ]\n"
                     "  - name: shop\n"
                     "    split:\n"
                     "      - { version: blue, upstream: shop-blue, weight: 50 }\n"
                     "      - { version: green, upstream: shop-green, weight: 50 }\n");
  ASSERT_TRUE(proxy.ok());

  HttpClient client("127.0.0.1", proxy.port());
  std::map<std::string, int> answered;
  constexpr int kRequests = 500;
  for (int i = 0; i < kRequests; ++i) ++answered[answered_by(client.request("GET", "/"))];
  for (int i = 0; i < 10; ++i) EXPECT_EQ(client.request("GET", "/dead").status, 502);
  // A worker counts a request just after its last byte went out (earlier requests on this
  // connection were counted before the next was read): wait, bounded, for the last one.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    auto dead = boost::json::parse(
        http_request("127.0.0.1", proxy.admin_port(), "GET", "/v1/routes/dead/stats").body);
    if (dead.at("versions").at("v1").at("requests").to_number<int>() >= 10) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  auto metrics = http_request("127.0.0.1", proxy.admin_port(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers["content-type"].find("text/plain"), std::string::npos);
  auto samples = parse_prometheus(metrics.body);
  for (std::string version : {"blue", "green"}) {
    EXPECT_EQ(sample(samples, "switchyard_requests_total{code=2xx,route=shop,version=" + version + "}"), answered[version]);
    EXPECT_EQ(sample(samples, "switchyard_request_duration_seconds_count{route=shop,version=" + version + "}"),
              answered[version]);
    EXPECT_EQ(sample(samples, "switchyard_request_duration_seconds_bucket{le=+Inf,route=shop,version=" + version + "}"),
              answered[version]);
    EXPECT_EQ(sample(samples, "switchyard_route_weight{route=shop,version=" + version + "}"), 50);
  }
  EXPECT_EQ(answered["blue"] + answered["green"], kRequests);
  EXPECT_EQ(sample(samples, "switchyard_requests_total{code=5xx,route=dead,version=v1}"), 10);
  EXPECT_EQ(sample(samples, "switchyard_upstream_errors_total{kind=connect,route=dead,version=v1}"), 10);
  EXPECT_EQ(sample(samples, "switchyard_connections_active{}"), 1);  // the client above, still open

  auto stats = boost::json::parse(http_request("127.0.0.1", proxy.admin_port(), "GET", "/v1/routes/shop/stats").body);
  auto versions = stats.as_object().at("versions").as_object();
  EXPECT_EQ(versions.at("blue").as_object().at("requests").to_number<int>(), answered["blue"]);
  EXPECT_EQ(versions.at("green").as_object().at("errors").to_number<int>(), 0);
}

}  // namespace
}  // namespace switchyard::test
