// Live endpoint health and upstream counters survive snapshot rebuilds by (upstream, endpoint key).
#include <gtest/gtest.h>

#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::routing {
namespace {

config::ProxyConfig config_with(std::vector<config::HostPort> blue) {
  config::ProxyConfig config;
  config.upstreams.push_back({"blue", std::move(blue), std::nullopt});
  config.upstreams.push_back({"green", {{"10.0.0.2", 80}}, std::nullopt});
  return config;
}

TEST(RouteTableHealth, EveryEndpointHasHealthAndEveryUpstreamCounters) {
  const auto table = RouteTable::build(config_with({{"127.0.0.1", 9001}}), nullptr, 1);
  for (const auto& upstream : table->upstreams()) {
    EXPECT_NE(upstream.runtime, nullptr);
    for (const auto& endpoint : upstream.endpoints) {
      ASSERT_NE(endpoint.health, nullptr);
      EXPECT_TRUE(endpoint.usable());
    }
  }
}

TEST(RouteTableHealth, RebuildCarriesHealthByUpstreamAndKey) {
  const auto first = RouteTable::build(config_with({{"127.0.0.1", 9001}, {"127.0.0.1", 9002}}), nullptr, 1);
  auto kept = first->upstreams()[0].endpoints[1].health;
  kept->set_usable(false);
  const auto second = RouteTable::build(config_with({{"127.0.0.1", 9002}, {"127.0.0.1", 9003}}), first.get(), 2);
  const auto& blue = second->upstreams()[0];
  EXPECT_EQ(blue.endpoints[0].health, kept);  // same endpoint, new position
  EXPECT_FALSE(blue.endpoints[0].usable());
  EXPECT_NE(blue.endpoints[1].health, first->upstreams()[0].endpoints[0].health);
  EXPECT_TRUE(blue.endpoints[1].usable());
  EXPECT_EQ(blue.runtime, first->upstreams()[0].runtime);
  // Same key in another upstream is another endpoint.
  EXPECT_NE(second->upstreams()[1].endpoints[0].health, kept);
}

TEST(RouteTableHealth, ConfigLimitsAreCopied) {
  auto config = config_with({{"127.0.0.1", 9001}});
  config.upstreams[0].max_connections = 3;
  config.upstreams[0].max_pending = 2;
  config.upstreams[0].max_requests = 5;
  const auto table = RouteTable::build(config, nullptr, 1);
  EXPECT_EQ(table->upstreams()[0].max_connections, 3u);
  EXPECT_EQ(table->upstreams()[0].max_pending, 2u);
  EXPECT_EQ(table->upstreams()[0].max_requests, 5u);
  EXPECT_EQ(table->find_upstream("green"), &table->upstreams()[1]);
  EXPECT_EQ(table->find_upstream("nope"), nullptr);
}

}  // namespace
}  // namespace switchyard::proxy::routing
