#pragma once
// A small, valid ProxyConfig shared by the admin tests: route "shop" (stable/canary with a guard
// reverting to stable, sticky cookie) and route "plain" (one version, no guard); upstreams
// shop-blue, shop-green (both used) and spare (unused).

#include <memory>

#include "config/proxy_config.hpp"
#include "proxy/routing/route_table.hpp"
#include "proxy/routing/route_table_publisher.hpp"

namespace switchyard::proxy::admin::test_support {

inline config::ProxyConfig make_test_config() {
  using config::HostPort;
  config::ProxyConfig cfg;
  cfg.listeners.push_back({HostPort{"127.0.0.1", 0}, std::nullopt});
  cfg.admin.address = HostPort{"127.0.0.1", 0};
  cfg.upstreams.push_back({"shop-blue", {HostPort{"127.0.0.1", 18081}}, std::nullopt});
  cfg.upstreams.push_back({"shop-green", {HostPort{"127.0.0.1", 18082}},
                           config::HealthCheckConfig{}});
  cfg.upstreams.push_back({"spare", {HostPort{"127.0.0.1", 18090}}, std::nullopt});

  config::RouteConfig shop;
  shop.name = "shop";
  shop.match.host = "shop.example.com";
  shop.split = {{"stable", "shop-blue", 95}, {"canary", "shop-green", 5}};
  shop.sticky = {config::StickyConfig::Kind::cookie, "sy_cohort"};
  shop.override_header = "x-switchyard-version";
  shop.guard = config::GuardConfig{};
  shop.guard->revert_to = "stable";
  cfg.routes.push_back(shop);

  config::RouteConfig plain;
  plain.name = "plain";
  plain.split = {{"a", "shop-blue", 100}};
  cfg.routes.push_back(plain);
  return cfg;
}

// The initial snapshot, built as main.cpp does.
inline std::shared_ptr<const routing::RouteTable> initial_table(const config::ProxyConfig& cfg) {
  return routing::RouteTable::build(cfg, nullptr, 1);
}

}  // namespace switchyard::proxy::admin::test_support
