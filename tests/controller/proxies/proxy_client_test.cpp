#include "controller/proxies/proxy_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "controller/proxies/proxy_fleet.hpp"
#include "tests/support/demo_backend.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::proxies {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// One route "shop" on upstream shop-v1 (v1 at 100%); `admin_extra` goes under `admin:`.
std::string proxy_yaml(const test::DemoBackend& v1, const std::string& admin_extra = "") {
  return "listeners:\n  - address: 127.0.0.1:0\n"
         "admin:\n  address: 127.0.0.1:0\n" + admin_extra +
         "workers: 1\n"
         "upstreams:\n"
         "  - name: shop-v1\n    endpoints: [" + v1.address() + "]\n"
         "routes:\n"
         "  - name: shop\n"
         "    match: { path_prefix: / }\n"
         "    split:\n"
         "      - { version: v1, upstream: shop-v1, weight: 100 }\n";
}

config::ProxyTarget target_of(const test::ProxyProcess& proxy, std::string token_file = "") {
  return config::ProxyTarget{config::HostPort{"127.0.0.1", proxy.admin_port()}, std::move(token_file)};
}

// Which versions answered `count` requests through the proxy.
std::map<std::string, int> answers(const test::ProxyProcess& proxy, int count) {
  test::HttpClient client("127.0.0.1", proxy.port());
  std::map<std::string, int> seen;
  for (int i = 0; i < count; ++i) {
    auto body = client.request("GET", "/").body;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
    ++seen[body];
  }
  return seen;
}

// A listening socket that never accepts nor answers: a hung proxy.
struct SilentListener {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  std::uint16_t port = 0;
  SilentListener() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd, 4);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd); }
};

class ProxyClientTest : public ::testing::Test {
 protected:
  test::DemoBackend v1_{"v1"};
  test::DemoBackend v2_{"v2"};
};

TEST_F(ProxyClientTest, UpstreamSplitAndWeightsChangeRouting) {
  test::ProxyProcess proxy(proxy_yaml(v1_));
  ASSERT_TRUE(proxy.ok());
  ProxyClient client(target_of(proxy));
  EXPECT_TRUE(client.healthz().ok);
  const auto upstream = client.put_upstream("shop-v2", {v2_.address()});
  ASSERT_TRUE(upstream.ok) << upstream.error;
  const auto split = client.put_split(
      "shop", {{"v1", "shop-v1", 100}, {"v2", "shop-v2", 0}});
  ASSERT_TRUE(split.ok) << split.error;
  EXPECT_EQ(answers(proxy, 10), (std::map<std::string, int>{{"v1", 10}}));

  const auto weights = client.put_weights("shop", {{"v1", 0}, {"v2", 100}});
  ASSERT_TRUE(weights.ok) << weights.error;
  EXPECT_EQ(answers(proxy, 10), (std::map<std::string, int>{{"v2", 10}}));

  const auto route = client.get_route("shop");
  ASSERT_TRUE(route.ok) << route.error;
  const auto& entries = route.json.at("split").as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].at("version").as_string(), "v2");
  EXPECT_EQ(entries[1].at("weight").to_number<int>(), 100);
  EXPECT_EQ(client.connects(), 1) << "keep-alive: one connection for all calls";
}

TEST_F(ProxyClientTest, FetchesStatsAndConfigAndSurfacesConflicts) {
  test::ProxyProcess proxy(proxy_yaml(v1_));
  ASSERT_TRUE(proxy.ok());
  ProxyClient client(target_of(proxy));
  answers(proxy, 7);
  // A worker counts a request just after its last byte went out, so the client can be a few
  // microseconds ahead of the statistics: poll (bounded) until the seventh is counted.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  AdminResult stats = client.get_stats("shop");
  while (stats.ok && stats.json.at("versions").at("v1").at("requests").to_number<int>() < 7 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stats = client.get_stats("shop");
  }
  ASSERT_TRUE(stats.ok) << stats.error;
  EXPECT_EQ(stats.json.at("versions").at("v1").at("requests").to_number<int>(), 7) << stats.body;

  const auto config = client.get_config();
  ASSERT_TRUE(config.result.ok) << config.result.error;
  EXPECT_EQ(config.hash.size(), 64u);
  EXPECT_TRUE(config.config.is_object());

  const auto in_use = client.delete_upstream("shop-v1");
  EXPECT_FALSE(in_use.ok);
  EXPECT_EQ(in_use.status, 409);
  EXPECT_NE(in_use.error.find("DELETE /v1/upstreams/shop-v1: 409"), std::string::npos)
      << in_use.error;
  const auto unknown = client.get_stats("nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_FALSE(unknown.ok);
}

TEST_F(ProxyClientTest, EventsLongPollReturnsAfterAWeightsChange) {
  test::ProxyProcess proxy(proxy_yaml(v1_));
  ASSERT_TRUE(proxy.ok());
  ProxyClient watcher(target_of(proxy));
  const auto before = watcher.events(0);
  ASSERT_TRUE(before.result.ok) << before.result.error;

  EventsResult polled;
  Clock::duration took{};
  std::thread poll([&] {
    const auto started = Clock::now();
    polled = watcher.events(before.next, 10000);
    took = Clock::now() - started;
  });
  ProxyClient changer(target_of(proxy));
  const auto changed = changer.put_weights("shop", {{"v1", 50}});
  poll.join();
  ASSERT_TRUE(changed.ok) << changed.error;
  ASSERT_TRUE(polled.result.ok) << polled.result.error;
  EXPECT_LT(took, 5s) << "the long poll answers on the event, not at wait_ms";
  ASSERT_FALSE(polled.events.empty());
  EXPECT_EQ(polled.events.back().kind, "weights_changed");
  EXPECT_EQ(polled.events.back().route, "shop");
  EXPECT_GT(polled.next, before.next);
  EXPECT_GT(polled.events.back().seq, before.next);
}

TEST_F(ProxyClientTest, BadTokenIsAnErrorWith401) {
  test::TempDir dir;
  const auto token = dir.write_file("admin.token", "s3cret\n");
  const auto wrong = dir.write_file("wrong.token", "guess\n");
  test::ProxyProcess proxy(proxy_yaml(v1_, "  token_file: " + token + "\n"));
  ASSERT_TRUE(proxy.ok());

  ProxyClient bad(target_of(proxy, wrong));
  const auto refused = bad.get_route("shop");
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.error.find("401"), std::string::npos) << refused.error;

  ProxyClient good(target_of(proxy, token));
  const auto route = good.get_route("shop");
  EXPECT_TRUE(route.ok) << route.error;

  ProxyClient missing(target_of(proxy, dir.path() + "/absent.token"));
  const auto unread = missing.get_route("shop");
  EXPECT_FALSE(unread.ok);
  EXPECT_EQ(unread.status, 0);
  EXPECT_NE(unread.error.find("absent.token"), std::string::npos) << unread.error;
}

TEST(ProxyClientDown, RefusedAndHungProxiesGiveBoundedErrors) {
  SilentListener silent;
  ASSERT_NE(silent.port, 0);
  ProxyClientOptions options;
  options.timeout = 300ms;
  ProxyClient hung({{"127.0.0.1", silent.port}, ""}, options);
  auto started = Clock::now();
  const auto timed_out = hung.put_weights("shop", {{"v1", 100}});
  auto took = Clock::now() - started;
  EXPECT_FALSE(timed_out.ok);
  EXPECT_EQ(timed_out.status, 0);
  EXPECT_NE(timed_out.error.find("timed out after 300 ms"), std::string::npos) << timed_out.error;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 1500ms);

  const std::uint16_t closed_port = silent.port;
  ::close(silent.fd);
  silent.fd = -1;
  ProxyClient down({{"127.0.0.1", closed_port}, ""}, options);
  started = Clock::now();
  const auto refused = down.healthz();
  took = Clock::now() - started;
  EXPECT_FALSE(refused.ok);
  EXPECT_NE(refused.error.find("proxy 127.0.0.1:" + std::to_string(closed_port)), std::string::npos)
      << refused.error;
  EXPECT_LT(took, 1500ms);
}

TEST_F(ProxyClientTest, ProxyGoingAwayMidSessionIsAnErrorNotAHang) {
  auto proxy = std::make_unique<test::ProxyProcess>(proxy_yaml(v1_));
  ASSERT_TRUE(proxy->ok());
  ProxyClient client(target_of(*proxy));
  ASSERT_TRUE(client.healthz().ok);
  proxy.reset();  // the kept-alive connection dies with it
  const auto started = Clock::now();
  const auto after = client.healthz();
  EXPECT_LT(Clock::now() - started, 2500ms);
  EXPECT_FALSE(after.ok);
  EXPECT_EQ(after.status, 0);
  EXPECT_GE(client.connects(), 1);
}

TEST_F(ProxyClientTest, FleetAppliesToEveryProxyAndReportsEachOutcome) {
  test::ProxyProcess first(proxy_yaml(v1_));
  test::ProxyProcess second(proxy_yaml(v1_));
  ASSERT_TRUE(first.ok() && second.ok());
  ProxyFleet fleet({target_of(first), target_of(second)});
  ASSERT_EQ(fleet.size(), 2u);
  auto result = fleet.put_upstream("shop-v2", {v2_.address()});
  ASSERT_TRUE(result.applied()) << result.error();
  result = fleet.put_split("shop", {{"v1", "shop-v1", 0}, {"v2", "shop-v2", 100}});
  ASSERT_TRUE(result.applied()) << result.error();
  EXPECT_EQ(answers(first, 5), (std::map<std::string, int>{{"v2", 5}}));
  EXPECT_EQ(answers(second, 5), (std::map<std::string, int>{{"v2", 5}}));
  // A request is counted just after its last byte went out: poll (bounded) for the fifth.
  auto stats = fleet.get_stats("shop");
  const auto all_counted = [&] {
    for (const auto& outcome : stats.outcomes)
      if (outcome.result.json.at("versions").at("v2").at("requests").to_number<int>() != 5) return false;
    return true;
  };
  for (int i = 0; i < 100 && stats.applied() && !all_counted(); ++i) {
    std::this_thread::sleep_for(10ms);
    stats = fleet.get_stats("shop");
  }
  ASSERT_TRUE(stats.applied()) << stats.error();
  for (const auto& outcome : stats.outcomes) {
    EXPECT_EQ(outcome.result.json.at("versions").at("v2").at("requests").to_number<int>(), 5)
        << outcome.proxy;
  }

  SilentListener dead;
  ProxyClientOptions options;
  options.timeout = 200ms;
  ProxyFleet partial({target_of(first), {{"127.0.0.1", dead.port}, ""}}, options);
  const auto half = partial.put_weights("shop", {{"v1", 100}});
  EXPECT_FALSE(half.applied());
  EXPECT_EQ(half.ok_count(), 1u);
  ASSERT_EQ(half.outcomes.size(), 2u);
  EXPECT_TRUE(half.outcomes[0].result.ok);
  EXPECT_EQ(half.outcomes[1].proxy, "127.0.0.1:" + std::to_string(dead.port));
  EXPECT_NE(half.error().find("timed out"), std::string::npos) << half.error();
  EXPECT_FALSE(ProxyFleet({}).healthz().applied()) << "no proxies never counts as applied";
}

TEST(ProxyClientNames, EncodesPathSegments) {
  EXPECT_EQ(encode_segment("shop-v1.2_x~"), "shop-v1.2_x~");
  EXPECT_EQ(encode_segment("a b/c"), "a%20b%2Fc");
}

}  // namespace
}  // namespace switchyard::controller::proxies
