// Passive health (outlier ejection): consecutive failures eject an endpoint for a time that
// grows with each ejection; the last usable endpoint is never ejected; a connect-failure retry
// never sends a request body twice.

#include <gtest/gtest.h>

#include <optional>
#include <regex>

#include "tests/integration/health_test_util.hpp"

namespace switchyard::test {
namespace {

std::string outlier_config(const std::string& endpoints, const std::string& outlier) {
  return "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\nworkers: 2\n"
         "upstreams:\n"
         "  - name: shop\n    endpoints: [" + endpoints + "]\n"
         "    outlier_detection: " + outlier + "\n"
         "routes:\n"
         "  - name: shop\n    match: { path_prefix: / }\n"
         "    split: [ { version: v1, upstream: shop, weight: 1 } ]\n";
}

std::int64_t number_at(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_number() ? value->to_number<std::int64_t>() : -1;
}

TEST(ProxyOutlier, KilledBackendIsEjectedAndReturnsWithGrowingBackoff) {
  DemoBackend blue("blue");
  std::optional<DemoBackend> green(std::in_place, "green");
  const std::string green_address = green->address();
  ProxyProcess proxy(outlier_config(blue.address() + ", " + green_address,
                                    "{ consecutive_failures: 3, base_ejection_ms: 1000, max_ejection_ms: 10000 }"));
  ASSERT_TRUE(proxy.ok());
  green.reset();  // connection refused from now on
  HttpClient client("127.0.0.1", proxy.port());
  int failed = 0;
  auto send_until = [&](const std::string& state) {
    return eventually([&] {
      client.close();  // a fresh connection per request spreads them over both workers
      if (client.request("GET", "/").status != 200) ++failed;
      return endpoint_state(proxy, "shop", green_address) == state;
    });
  };
  ASSERT_TRUE(send_until("ejected"));
  auto view = endpoint_view(proxy, "shop", green_address);
  EXPECT_EQ(view.at("healthy"), false);
  EXPECT_EQ(number_at(view, "ejections"), 1);
  EXPECT_GT(number_at(view, "ejected_until_ms"), 0);
  EXPECT_LE(number_at(view, "ejected_until_ms"), 1000);
  const auto down = endpoint_events(proxy, "endpoint_down", green_address);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].at("reason"), "ejected");

  // The ejection ends after about base_ejection_ms ...
  ASSERT_TRUE(eventually([&] { return endpoint_state(proxy, "shop", green_address) == "healthy"; },
                         std::chrono::seconds(3)));
  EXPECT_EQ(endpoint_events(proxy, "endpoint_up", green_address).size(), 1u);
  // ... and the next one lasts twice as long.
  ASSERT_TRUE(send_until("ejected"));
  view = endpoint_view(proxy, "shop", green_address);
  EXPECT_EQ(number_at(view, "ejections"), 2);
  EXPECT_GT(number_at(view, "ejected_until_ms"), 1000);
  EXPECT_LE(number_at(view, "ejected_until_ms"), 2000);
  EXPECT_EQ(failed, 0) << "a connect failure must be retried on the other endpoint";
}

TEST(ProxyOutlier, ServerErrorsEjectAndTheLastEndpointIsNeverEjected) {
  DemoBackend blue("blue");
  DemoBackend green("green", {"--error-rate", "1"});
  ProxyProcess proxy(outlier_config(blue.address() + ", " + green.address(),
                                    "{ consecutive_failures: 3, base_ejection_ms: 30000, max_ejection_ms: 60000 }"));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  ASSERT_TRUE(eventually([&] {
    client.request("GET", "/");
    return endpoint_state(proxy, "shop", green.address()) == "ejected";
  }));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(answered_by(client.request("GET", "/")), "blue");

  // Now blue fails too, but it is the last usable endpoint: it keeps serving (its 500s pass through).
  ASSERT_EQ(put_faults(blue, R"({"error_rate":1})"), 200);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(client.request("GET", "/").status, 500);
  ASSERT_TRUE(proxy.process().wait_for_line(std::regex("endpoint " + blue.address() + ".*last usable endpoint"),
                                            std::chrono::seconds(5)));
  EXPECT_EQ(endpoint_state(proxy, "shop", blue.address()), "healthy");
  EXPECT_EQ(endpoint_view(proxy, "shop", blue.address()).at("healthy"), true);
}

TEST(ProxyOutlier, ConnectFailureRetryNeverSendsTheBodyTwice) {
  DemoBackend blue("blue");
  std::optional<DemoBackend> dead(std::in_place, "dead");
  const std::string dead_address = dead->address();
  dead.reset();
  // Ejection off: every other request first tries the dead endpoint, then the live one.
  ProxyProcess proxy(outlier_config(dead_address + ", " + blue.address(), "{ enabled: false }"));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  constexpr int kRequests = 10;
  constexpr std::uint64_t kBytes = 100000;
  for (int i = 0; i < kRequests; ++i) {
    client.close();
    const auto response = client.upload("/upload", kBytes, i % 2 == 1);
    ASSERT_EQ(response.status, 200) << response.body;
  }
  const auto stats = boost::json::parse(http_request("127.0.0.1", blue.port(), "GET", "/admin/stats").body);
  EXPECT_EQ(stats.at("uploads").to_number<std::int64_t>(), kRequests);
  EXPECT_EQ(stats.at("upload_bytes").to_number<std::uint64_t>(), kRequests * kBytes);
  EXPECT_EQ(endpoint_state(proxy, "shop", dead_address), "healthy");  // never ejected: disabled
  EXPECT_GE(number_at(endpoint_view(proxy, "shop", dead_address), "consecutive_failures"), 1);
}

}  // namespace
}  // namespace switchyard::test
