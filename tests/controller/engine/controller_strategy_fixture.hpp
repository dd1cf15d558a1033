#pragma once
// ControllerFixture with the app's strategy chosen by the test (blue-green, recreate, rolling)
// and the route's override_header set, plus small probes of the proxy's upstreams and of the
// store's events. Test thread owns it.

#include <cstdlib>
#include <set>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {

class StrategyFixture : public ControllerFixture {
 protected:
  // `strategy`: the YAML lines of the app's `strategy:` block, each indented by 6 spaces.
  // `override_header`: whether the route pins a version named in x-switchyard-version.
  // `extra_proxies`: more entries of the environment's `proxies:` list (YAML lines, indent 6).
  void start_strategy(int port_base, const std::string& strategy, bool override_header = true,
                      const std::string& extra_proxies = "") {
    baseline_ = std::make_unique<DemoBackend>("v1");
    ASSERT_TRUE(baseline_->ok());
    proxy_ = std::make_unique<ProxyProcess>(
        "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n"
        "upstreams:\n  - name: shop-v1\n    endpoints: [" + baseline_->address() + "]\n"
        "routes:\n  - name: shop\n    match: { path_prefix: / }\n"
        "    split:\n      - { version: v1, upstream: shop-v1, weight: 100 }\n"
        + std::string(override_header ? "    override_header: x-switchyard-version\n" : ""));
    ASSERT_TRUE(proxy_->ok());
    const std::string command = "/bin/sh -c 'exec " + bin_path("switchyard-demo-backend") +
                                " --port {port} --name {version}'";
    config_path_ = dir_.write_file(
        "controller.yaml",
        "controller:\n  listen: 127.0.0.1:0\n  state: " + dir_.path() + "/state.db\n"
        "environments:\n  - name: test\n    proxies:\n      - { admin: 127.0.0.1:" +
            std::to_string(proxy_->admin_port()) + " }\n" + extra_proxies +
        "apps:\n  - name: shop\n    route: shop\n    driver:\n      kind: process\n"
        "      command: \"" + command + "\"\n      instances: 2\n"
        "      ports: " + std::to_string(port_base) + "-" + std::to_string(port_base + 49) + "\n"
        "      health_path: /healthz\n      stop_grace_ms: 1000\n"
        "    strategy:\n" + strategy);
    start_controller();
    traffic_ = std::thread([this] { send_traffic(); });
  }

  // The endpoints of one upstream on the proxy (empty when it does not exist).
  std::vector<std::string> upstream_endpoints(const std::string& name) {
    auto response = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/upstreams");
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    if (ec || !value.is_object()) return out;
    for (const auto& upstream : value.at("upstreams").as_array()) {
      if (upstream.at("name").as_string() != name) continue;
      for (const auto& endpoint : upstream.at("endpoints").as_array()) {
        out.emplace_back(endpoint.at("address").as_string());
      }
    }
    return out;
  }

  // The body ("NAME\n") of GET / sent straight to an endpoint; "" when nobody answers.
  static std::string answer_of(const std::string& endpoint) {
    const auto colon = endpoint.rfind(':');
    auto response = http_request(endpoint.substr(0, colon), static_cast<std::uint16_t>(std::stoi(endpoint.substr(colon + 1))),
                                 "GET", "/", "", {}, std::chrono::seconds(1));
    return response.status == 200 ? response.body : "";
  }

  // Through the proxy, with the override header naming `version`.
  std::string pinned_answer(const std::string& version) {
    auto response = http_request("127.0.0.1", proxy_->port(), "GET", "/", "", {{"x-switchyard-version", version}},
                                 std::chrono::seconds(2));
    return response.body;
  }

  // The detail of the rollout's outcome event (its figures: downtime, ...).
  boost::json::object outcome_figures(std::int64_t id) {
    controller::store::StateStore store;
    if (!store.open(dir_.path() + "/state.db").ok()) return {};
    auto events = store.events_since(0, 10000);
    if (!events.ok()) return {};
    for (const auto& event : events.value()) {
      const bool outcome = event.kind == "rollout_succeeded" || event.kind == "rollout_failed" ||
                           event.kind == "rollout_aborted";
      if (event.rollout_id != id || !outcome) continue;
      boost::system::error_code ec;
      auto value = boost::json::parse(event.detail_json, ec);
      if (!ec && value.is_object()) return value.get_object();
    }
    return {};
  }
};

}  // namespace switchyard::test
