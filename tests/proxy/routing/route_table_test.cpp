#include "proxy/routing/route_table.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::proxy::routing {
namespace {

config::RouteConfig route_config(std::string name, std::string host, std::string prefix,
                                 std::vector<config::SplitEntry> split = {
                                     {"stable", "blue", 95}, {"canary", "green", 5}}) {
  config::RouteConfig route;
  route.name = std::move(name);
  route.match = config::MatchConfig{std::move(host), std::move(prefix)};
  route.split = std::move(split);
  return route;
}

config::ProxyConfig base_config() {
  config::ProxyConfig config;
  config.upstreams.push_back({"blue", {{"127.0.0.1", 9001}, {"::1", 9002}}, std::nullopt});
  config.upstreams.push_back({"green", {{"10.0.0.2", 80}}, std::nullopt});
  config.upstreams.push_back({"empty", {}, std::nullopt});
  return config;
}

TEST(RouteTable, BuildCopiesRoutesUpstreamsAndVersions) {
  auto config = base_config();
  config.routes.push_back(route_config("api", "API.Example.com", "/api"));
  config.routes.back().override_header = "X-Switchyard-Version";
  config.routes.back().sticky = {config::StickyConfig::Kind::cookie, "sy_cohort"};
  config.routes.push_back(route_config("web", "", "/", {{"only", "empty", 1}}));
  const auto table = RouteTable::build(config, nullptr, 7);

  EXPECT_EQ(table->generation(), 7u);
  ASSERT_EQ(table->routes().size(), 2u);
  const Route& api = table->routes()[0];
  EXPECT_EQ(api.name, "api");
  EXPECT_EQ(api.index, 0u);
  EXPECT_EQ(api.host, "api.example.com");
  EXPECT_EQ(api.path_prefix, "/api");
  EXPECT_EQ(api.override_header, "x-switchyard-version");
  EXPECT_EQ(api.sticky.kind, config::StickyConfig::Kind::cookie);
  ASSERT_EQ(api.versions.size(), 2u);
  EXPECT_EQ(api.versions[1].name, "canary");
  EXPECT_EQ(api.versions[1].weight, 5u);
  EXPECT_EQ(table->upstreams()[api.versions[0].upstream].name, "blue");
  EXPECT_EQ(table->upstreams()[api.versions[1].upstream].name, "green");
  EXPECT_EQ(api.cohorts.bucket_count(1), 500u);
  EXPECT_EQ(api.find_version("canary"), std::optional<std::uint16_t>{1});
  EXPECT_EQ(api.find_version("nope"), std::nullopt);
  EXPECT_EQ(table->routes()[1].index, 1u);
  EXPECT_EQ(table->upstreams()[table->routes()[1].versions[0].upstream].name, "empty");

  const auto& blue = table->upstreams()[0].endpoints;
  ASSERT_EQ(blue.size(), 2u);
  EXPECT_EQ(blue[0].key, "127.0.0.1:9001");
  EXPECT_EQ(blue[1].host, "::1");
  EXPECT_EQ(blue[1].port, 9002);
  EXPECT_EQ(blue[1].key, "[::1]:9002");
  EXPECT_TRUE(blue[1].healthy);
  EXPECT_TRUE(table->upstreams()[2].endpoints.empty());
}

TEST(RouteTable, FindRouteByName) {
  auto config = base_config();
  config.routes.push_back(route_config("a", "", "/a"));
  config.routes.push_back(route_config("b", "", "/b"));
  const auto table = RouteTable::build(config, nullptr, 1);
  ASSERT_NE(table->find_route("b"), nullptr);
  EXPECT_EQ(table->find_route("b")->index, 1u);
  EXPECT_EQ(table->find_route("c"), nullptr);
}

TEST(RouteTable, MatchFirstWinsHostCaseInsensitiveAndPrefix) {
  auto config = base_config();
  config.routes.push_back(route_config("shop-api", "shop.example.com", "/api/"));
  config.routes.push_back(route_config("shop", "Shop.Example.Com", "/"));
  config.routes.push_back(route_config("v6", "[::1]", "/"));
  config.routes.push_back(route_config("any-static", "", "/static"));
  config.routes.push_back(route_config("catch-all", "", "/"));
  const auto table = RouteTable::build(config, nullptr, 1);
  auto name_of = [&](std::string_view host, std::string_view path) -> std::string {
    const Route* route = table->match(host, path);
    return route ? route->name : "<none>";
  };
  EXPECT_EQ(name_of("shop.example.com", "/api/cart"), "shop-api");
  EXPECT_EQ(name_of("shop.example.com", "/api"), "shop");  // prefix is a plain byte prefix
  EXPECT_EQ(name_of("SHOP.example.COM", "/"), "shop");
  EXPECT_EQ(name_of("shop.example.com:8080", "/api/x"), "shop-api");
  EXPECT_EQ(name_of("[::1]:8080", "/x"), "v6");
  EXPECT_EQ(name_of("[::1]", "/x"), "v6");
  EXPECT_EQ(name_of("other.example.com", "/static/app.js"), "any-static");
  EXPECT_EQ(name_of("", "/x"), "catch-all");
  EXPECT_EQ(name_of("shop.example.com.evil", "/"), "catch-all");
}

TEST(RouteTable, NoMatchGivesNull) {
  auto config = base_config();
  config.routes.push_back(route_config("shop", "shop.example.com", "/"));
  config.routes.push_back(route_config("api", "", "/api"));
  const auto table = RouteTable::build(config, nullptr, 1);
  EXPECT_EQ(table->match("other.example.com", "/"), nullptr);
  EXPECT_EQ(table->match("other.example.com", "/ap"), nullptr);
  EXPECT_EQ(table->match("shop.example.co", "/"), nullptr);
}

TEST(RouteTable, PreviousTableKeepsCohortsMonotoneByRouteName) {
  auto config = base_config();
  config.routes.push_back(
      route_config("other", "", "/other", {{"x", "blue", 1}, {"y", "green", 1}}));
  // Three versions: a fresh layout differs from an incremental one, so the test can tell.
  config.routes.push_back(route_config("shop", "", "/", {{"a", "blue", 50}, {"b", "green", 30},
                                                         {"c", "blue", 20}}));
  const auto first = RouteTable::build(config, nullptr, 1);
  // Reorder routes and raise c: c's buckets must all stay with c.
  std::swap(config.routes[0], config.routes[1]);
  config.routes[0].split = {{"a", "blue", 20}, {"b", "green", 30}, {"c", "blue", 50}};
  const auto second = RouteTable::build(config, first.get(), 2);
  const auto& before = first->find_route("shop")->cohorts;
  const auto& after = second->find_route("shop")->cohorts;
  EXPECT_EQ(second->find_route("shop")->index, 0u);
  int kept = 0;
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
    if (before.version_at(b) != 2) continue;
    ASSERT_EQ(after.version_at(b), 2u) << "bucket " << b;
    ++kept;
  }
  EXPECT_EQ(kept, 2000);
  const auto fresh = RouteTable::build(config, nullptr, 3);
  bool differs = false;
  for (std::uint32_t b = 0; b < kCohortBuckets; ++b) {
    differs |= fresh->find_route("shop")->cohorts.version_at(b) != after.version_at(b);
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace switchyard::proxy::routing
