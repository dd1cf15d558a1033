// on_every_proxy: a proxy that does not answer is retried until the limit, the others are done
// at the first pass; a definite refusal is not retried.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>

#include "controller/engine/proxy_retry.hpp"
#include "tests/support/proxy_process.hpp"

namespace switchyard::test {
namespace {

using controller::engine::on_every_proxy;
using controller::engine::RetryPolicy;
using controller::proxies::AdminResult;
using controller::proxies::ProxyClient;

const char* kProxyYaml =
    "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n"
    "upstreams:\n  - name: a\n    endpoints: [127.0.0.1:9]\n"
    "routes:\n  - name: r\n    match: { path_prefix: / }\n"
    "    split:\n      - { version: v1, upstream: a, weight: 100 }\n      - { version: v2, upstream: a, weight: 0 }\n";

config::ProxyTarget target(std::uint16_t port) {
  config::ProxyTarget out;
  out.admin.host = "127.0.0.1";
  out.admin.port = port;
  return out;
}

TEST(ProxyRetry, DeadProxyIsRetriedUntilTheLimitWhileTheLiveOneIsChangedAtOnce) {
  ProxyProcess live(kProxyYaml);
  ASSERT_TRUE(live.ok());
  // Port 1 on loopback: refused at once, i.e. a proxy that does not answer.
  controller::proxies::ProxyFleet fleet({target(live.admin_port()), target(1)});
  std::map<std::string, int> calls;
  const auto started = std::chrono::steady_clock::now();
  const auto failed = on_every_proxy(
      fleet,
      [&](ProxyClient& client) {
        ++calls[client.name()];
        return client.put_weights("r", {{"v1", 50}, {"v2", 50}});
      },
      RetryPolicy{std::chrono::milliseconds(700), std::chrono::milliseconds(100)});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_NE(failed.find("127.0.0.1:1"), std::string::npos) << failed;
  EXPECT_EQ(failed.find(fleet.proxy(0).name()), std::string::npos) << failed;
  EXPECT_EQ(calls[fleet.proxy(0).name()], 1);
  EXPECT_GE(calls["127.0.0.1:1"], 4);
  EXPECT_GE(elapsed, std::chrono::milliseconds(500));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  auto route = fleet.proxy(0).get_route("r");
  ASSERT_TRUE(route.ok) << route.error;
  EXPECT_NE(route.body.find("\"weight\":50"), std::string::npos) << route.body;
}

TEST(ProxyRetry, RefusalIsNotRetriedAndAllAnsweringMeansSuccess) {
  ProxyProcess live(kProxyYaml);
  ASSERT_TRUE(live.ok());
  controller::proxies::ProxyFleet fleet({target(live.admin_port())});
  int calls = 0;
  auto refused = on_every_proxy(
      fleet, [&](ProxyClient& client) { ++calls; return client.put_weights("no-such-route", {{"v1", 1}}); },
      RetryPolicy{std::chrono::milliseconds(2000), std::chrono::milliseconds(50)});
  EXPECT_FALSE(refused.empty());
  EXPECT_EQ(calls, 1);
  auto applied = on_every_proxy(
      fleet, [&](ProxyClient& client) { return client.put_weights("r", {{"v1", 100}, {"v2", 0}}); }, RetryPolicy{});
  EXPECT_EQ(applied, "");
}

TEST(ProxyRetry, LimitComesFromTheEnvironment) {
  ::setenv("SWITCHYARD_PROXY_RETRY_MS", "1234", 1);
  EXPECT_EQ(controller::engine::default_retry_policy().limit, std::chrono::milliseconds(1234));
  ::setenv("SWITCHYARD_PROXY_RETRY_MS", "junk", 1);
  EXPECT_EQ(controller::engine::default_retry_policy().limit, std::chrono::milliseconds(10000));
  ::unsetenv("SWITCHYARD_PROXY_RETRY_MS");
  EXPECT_EQ(controller::engine::default_retry_policy().limit, std::chrono::milliseconds(10000));
}

}  // namespace
}  // namespace switchyard::test
