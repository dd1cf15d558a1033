// End-to-end routing through a real proxy and real demo backends on 127.0.0.1.

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "tests/integration/proxy_test_util.hpp"

namespace switchyard::test {
namespace {

TEST(ProxyRouting, SplitSharesFollowWeights) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 90, 10));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  constexpr int kRequests = 4000;
  std::map<std::string, int> counts;
  for (int i = 0; i < kRequests; ++i) {
    auto response = client.request("GET", "/");
    ASSERT_TRUE(response.ok()) << response.error;
    ASSERT_EQ(response.status, 200);
    ++counts[answered_by(response)];
  }
  EXPECT_EQ(counts.size(), 2u);
  // Binomial bounds: 5 standard deviations around 10%.
  const double sigma = std::sqrt(kRequests * 0.1 * 0.9);
  EXPECT_NEAR(counts["green"], kRequests * 0.1, 5 * sigma);
  EXPECT_EQ(counts["blue"] + counts["green"], kRequests);
}

TEST(ProxyRouting, WeightChangeThroughAdminTakesEffect) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(answered_by(client.request("GET", "/")), "blue");
  ASSERT_EQ(set_weights(proxy, R"({"blue":0,"green":100})"), 200);
  // The same keep-alive connection sees the new snapshot on its next request.
  for (int i = 0; i < 50; ++i) EXPECT_EQ(answered_by(client.request("GET", "/")), "green");
  auto route = http_request("127.0.0.1", proxy.admin_port(), "GET", "/v1/routes/shop");
  EXPECT_NE(route.body.find("\"weight\":100"), std::string::npos) << route.body;
}

TEST(ProxyRouting, NoFailedRequestWhileWeightsFlip) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0));
  ASSERT_TRUE(proxy.ok());
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      HttpClient client("127.0.0.1", proxy.port());
      while (!stop.load()) {
        auto response = client.request("GET", "/");
        (response.ok() && response.status == 200 ? ok : failed)++;
      }
    });
  }
  for (int flip = 0; flip < 20; ++flip) {
    // Wait for some traffic under each configuration (bounded).
    int target = ok.load() + 200;
    for (int spin = 0; spin < 2000 && ok.load() < target; ++spin) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(set_weights(proxy, flip % 2 ? R"({"blue":100,"green":0})" : R"({"blue":0,"green":100})"), 200);
  }
  stop = true;
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 4000);
}

TEST(ProxyRouting, OverrideHeaderPinsVersionEvenAtWeightZero) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0, "    override_header: x-switchyard-version\n"));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(answered_by(client.request("GET", "/", "", {{"X-Switchyard-Version", "green"}})), "green");
    EXPECT_EQ(answered_by(client.request("GET", "/")), "blue");
    // An unknown version name is ignored: the weighted pick applies.
    EXPECT_EQ(answered_by(client.request("GET", "/", "", {{"X-Switchyard-Version", "purple"}})), "blue");
  }
}

TEST(ProxyRouting, StickyCookieCohortsAreStableAndMonotone) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 95, 5, "    sticky: { cookie: sy_cohort }\n"));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  // New clients get a cohort cookie.
  std::vector<std::pair<std::string, std::string>> cohorts;  // cookie, version
  for (int i = 0; i < 300; ++i) {
    auto response = client.request("GET", "/");
    ASSERT_EQ(response.status, 200);
    auto cookie = response.headers["set-cookie"];
    ASSERT_EQ(cookie.rfind("sy_cohort=", 0), 0u) << cookie;
    cohorts.emplace_back(cookie.substr(0, cookie.find(';')), answered_by(response));
  }
  // Returning clients keep their version and get no new cookie.
  for (const auto& [cookie, version] : cohorts) {
    auto response = client.request("GET", "/", "", {{"Cookie", "theme=dark; " + cookie}});
    EXPECT_EQ(answered_by(response), version);
    EXPECT_EQ(response.headers.count("set-cookie"), 0u);
  }
  // Raising green never moves a green client away.
  for (int weight : {10, 25, 50}) {
    ASSERT_EQ(set_weights(proxy, "{\"blue\":" + std::to_string(100 - weight) + ",\"green\":" + std::to_string(weight) + "}"), 200);
    int green_clients = 0;
    for (const auto& [cookie, version] : cohorts) {
      auto now = answered_by(client.request("GET", "/", "", {{"Cookie", cookie}}));
      if (version == "green") {
        EXPECT_EQ(now, "green") << cookie << " moved at weight " << weight;
      }
      green_clients += now == "green";
    }
    EXPECT_GT(green_clients, 0);
  }
}

TEST(ProxyRouting, StickyHeaderCohorts) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 50, 50, "    sticky: { header: x-user-id }\n"));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  std::map<std::string, int> seen;
  for (int user = 0; user < 100; ++user) {
    std::string id = "user-" + std::to_string(user);
    auto first = answered_by(client.request("GET", "/", "", {{"X-User-Id", id}}));
    ++seen[first];
    for (int i = 0; i < 5; ++i) EXPECT_EQ(answered_by(client.request("GET", "/", "", {{"X-User-Id", id}})), first);
  }
  EXPECT_EQ(seen.size(), 2u);
}

}  // namespace
}  // namespace switchyard::test
