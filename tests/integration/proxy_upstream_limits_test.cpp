// Upstream circuit breakers: max_connections with and without a pending queue, max_requests.
// An overflow answers 503 upstream_overflow, counted against the version and in
// switchyard_upstream_overflow_total{upstream,kind}.

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "tests/integration/health_test_util.hpp"

namespace switchyard::test {
namespace {

std::string limits_config(const DemoBackend& slow, const std::string& limits) {
  return "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\nworkers: 1\n"
         "timeouts: { connect_ms: 2000 }\n"
         "upstreams:\n"
         "  - name: slow\n    endpoints: [" + slow.address() + "]\n" + limits +
         "routes:\n"
         "  - name: shop\n    match: { path_prefix: / }\n"
         "    split: [ { version: v1, upstream: slow, weight: 1 } ]\n";
}

// Starts `count` requests on separate connections, `stagger` apart, and returns their answers.
std::vector<HttpResponse> concurrent_requests(const ProxyProcess& proxy, int count, std::chrono::milliseconds stagger) {
  std::vector<std::future<HttpResponse>> futures;
  for (int i = 0; i < count; ++i) {
    futures.push_back(std::async(std::launch::async, [port = proxy.port()] {
      return http_request("127.0.0.1", port, "GET", "/");
    }));
    std::this_thread::sleep_for(stagger);
  }
  std::vector<HttpResponse> out;
  for (auto& future : futures) out.push_back(future.get());
  return out;
}

// How many answers had `status` (and, for 503, the overflow error name).
int count_status(const std::vector<HttpResponse>& answers, int status) {
  int n = 0;
  for (auto answer : answers) {
    if (answer.status != status) continue;
    if (status == 503 && answer.headers["x-switchyard-error"] != "upstream_overflow") continue;
    ++n;
  }
  return n;
}

std::string overflow_line(const std::string& kind, int count) {
  return "switchyard_upstream_overflow_total{upstream=\"slow\",kind=\"" + kind + "\"} " + std::to_string(count);
}

TEST(ProxyUpstreamLimits, MaxConnectionsWithoutQueueFailsFast) {
  DemoBackend slow("slow", {"--latency-ms", "400"});
  ProxyProcess proxy(limits_config(slow, "    max_connections: 1\n"));
  ASSERT_TRUE(proxy.ok());
  const auto started = std::chrono::steady_clock::now();
  const auto answers = concurrent_requests(proxy, 2, std::chrono::milliseconds(100));
  EXPECT_EQ(count_status(answers, 200), 1);
  EXPECT_EQ(count_status(answers, 503), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1500));
  EXPECT_NE(metrics_text(proxy).find(overflow_line("max_connections", 1)), std::string::npos);
  ASSERT_TRUE(eventually([&] { return version_counts(proxy, "shop", "v1") == std::make_pair<std::int64_t, std::int64_t>(2, 1); },
                         std::chrono::seconds(3)));
  // The limit holds the connection count, not the request count: sequential requests reuse it.
  HttpClient client("127.0.0.1", proxy.port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.request("GET", "/").status, 200);
}

TEST(ProxyUpstreamLimits, PendingRequestsWaitForAConnectionThenOverflow) {
  DemoBackend slow("slow", {"--latency-ms", "400"});
  ProxyProcess proxy(limits_config(slow, "    max_connections: 1\n    max_pending: 1\n"));
  ASSERT_TRUE(proxy.ok());
  const auto answers = concurrent_requests(proxy, 3, std::chrono::milliseconds(100));
  EXPECT_EQ(count_status(answers, 200), 2) << "the pending request gets the released connection";
  EXPECT_EQ(count_status(answers, 503), 1);
  EXPECT_NE(metrics_text(proxy).find(overflow_line("max_pending", 1)), std::string::npos);
  const auto view = admin_json(proxy, "/v1/upstreams").at("upstreams").at(0);
  EXPECT_EQ(view.at("connections").to_number<int>(), 1);  // the pooled one
  EXPECT_EQ(view.at("pending").to_number<int>(), 0);
  EXPECT_EQ(view.at("overflow").at("max_pending").to_number<int>(), 1);
}

TEST(ProxyUpstreamLimits, MaxRequestsBoundsConcurrentRequests) {
  DemoBackend slow("slow", {"--latency-ms", "400"});
  ProxyProcess proxy(limits_config(slow, "    max_requests: 1\n"));
  ASSERT_TRUE(proxy.ok());
  const auto answers = concurrent_requests(proxy, 2, std::chrono::milliseconds(100));
  EXPECT_EQ(count_status(answers, 200), 1);
  EXPECT_EQ(count_status(answers, 503), 1);
  EXPECT_NE(metrics_text(proxy).find(overflow_line("max_requests", 1)), std::string::npos);
  EXPECT_NE(metrics_text(proxy).find(overflow_line("max_connections", 0)), std::string::npos);
}

TEST(ProxyUpstreamLimits, LimitsAreSetAndShownThroughTheAdminApi) {
  DemoBackend slow("slow");
  ProxyProcess proxy(limits_config(slow, ""));
  ASSERT_TRUE(proxy.ok());
  const std::string body = R"({"endpoints":[")" + slow.address() +
                           R"("],"max_connections":7,"max_pending":3,"max_requests":9,)"
                           R"("outlier_detection":{"enabled":false}})";
  ASSERT_EQ(http_request("127.0.0.1", proxy.admin_port(), "PUT", "/v1/upstreams/slow", body).status, 200);
  const auto config = admin_json(proxy, "/v1/config").at("config").at("upstreams").at(0);
  EXPECT_EQ(config.at("max_connections").to_number<int>(), 7);
  EXPECT_EQ(config.at("max_pending").to_number<int>(), 3);
  EXPECT_EQ(config.at("max_requests").to_number<int>(), 9);
  EXPECT_EQ(config.at("outlier_detection").at("enabled"), false);
  const auto bad = http_request("127.0.0.1", proxy.admin_port(), "PUT", "/v1/upstreams/slow",
                                R"({"endpoints":[],"outlier_detection":{"base_ejection_ms":10,"max_ejection_ms":5}})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("outlier_detection.max_ejection_ms"), std::string::npos) << bad.body;
}

}  // namespace
}  // namespace switchyard::test
