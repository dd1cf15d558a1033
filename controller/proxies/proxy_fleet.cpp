#include "controller/proxies/proxy_fleet.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace switchyard::controller::proxies {

bool FleetResult::applied() const {
  return !outcomes.empty() && ok_count() == outcomes.size();
}

std::size_t FleetResult::ok_count() const {
  return static_cast<std::size_t>(std::count_if(outcomes.begin(), outcomes.end(),
                                                [](const ProxyOutcome& one) { return one.result.ok; }));
}

std::string FleetResult::error() const {
  std::string out;
  for (const auto& one : outcomes) {
    if (one.result.ok) continue;
    if (!out.empty()) out += "\n";
    out += one.result.error;
  }
  if (outcomes.empty()) out = "no proxies configured";
  return out;
}

ProxyFleet::ProxyFleet(const std::vector<config::ProxyTarget>& proxies, ProxyClientOptions options) {
  for (const auto& target : proxies) clients_.push_back(std::make_unique<ProxyClient>(target, options));
}

template <class Call>
FleetResult ProxyFleet::each(Call&& call) {
  FleetResult result;
  for (auto& client : clients_) {
    result.outcomes.push_back(ProxyOutcome{client->name(), call(*client)});
    if (!result.outcomes.back().result.ok) spdlog::warn("{}", result.outcomes.back().result.error);
  }
  return result;
}

FleetResult ProxyFleet::healthz() {
  return each([](ProxyClient& client) { return client.healthz(); });
}

FleetResult ProxyFleet::get_route(const std::string& route) {
  return each([&](ProxyClient& client) { return client.get_route(route); });
}

FleetResult ProxyFleet::put_weights(const std::string& route,
                                    const std::map<std::string, std::uint32_t>& weights) {
  return each([&](ProxyClient& client) { return client.put_weights(route, weights); });
}

FleetResult ProxyFleet::put_split(const std::string& route,
                                  const std::vector<config::SplitEntry>& split) {
  return each([&](ProxyClient& client) { return client.put_split(route, split); });
}

FleetResult ProxyFleet::put_upstream(const std::string& name,
                                     const std::vector<std::string>& endpoints,
                                     const std::optional<config::HealthCheckConfig>& health_check) {
  return each([&](ProxyClient& client) { return client.put_upstream(name, endpoints, health_check); });
}

FleetResult ProxyFleet::delete_upstream(const std::string& name) {
  return each([&](ProxyClient& client) { return client.delete_upstream(name); });
}

FleetResult ProxyFleet::get_stats(const std::string& route) {
  return each([&](ProxyClient& client) { return client.get_stats(route); });
}

}  // namespace switchyard::controller::proxies
