#pragma once
// ProxyFleet: the proxies of one environment, driven as one. A change is sent to every proxy
// (in configuration order, one after the other, each call bounded by the client timeout, so a
// fleet call takes at most N x timeout) and every proxy's outcome is reported; the change counts
// as applied only when ALL proxies answered 2xx. Retrying is the caller's decision (a rollout
// step waits and retries, never skips). Control-thread only, like its ProxyClients.

#include <memory>
#include <string>
#include <vector>

#include "controller/proxies/proxy_client.hpp"

namespace switchyard::controller::proxies {

struct ProxyOutcome {
  std::string proxy;  // "host:port"
  AdminResult result;
};

struct FleetResult {
  std::vector<ProxyOutcome> outcomes;  // one per proxy, in configuration order
  // Every proxy answered 2xx (an environment without proxies never counts as applied).
  bool applied() const;
  std::size_t ok_count() const;
  // The failing proxies' errors, one per line.
  std::string error() const;
};

class ProxyFleet {
 public:
  explicit ProxyFleet(const std::vector<config::ProxyTarget>& proxies,
                      ProxyClientOptions options = {});

  std::size_t size() const { return clients_.size(); }
  ProxyClient& proxy(std::size_t index) { return *clients_.at(index); }

  FleetResult healthz();
  FleetResult get_route(const std::string& route);
  FleetResult put_weights(const std::string& route,
                          const std::map<std::string, std::uint32_t>& weights);
  FleetResult put_split(const std::string& route, const std::vector<config::SplitEntry>& split);
  FleetResult put_upstream(const std::string& name, const std::vector<std::string>& endpoints,
                           const std::optional<config::HealthCheckConfig>& health_check = {});
  FleetResult delete_upstream(const std::string& name);
  // Each outcome's body is that proxy's stats answer; summing is the analysis' job.
  FleetResult get_stats(const std::string& route);

 private:
  template <class Call>
  FleetResult each(Call&& call);

  std::vector<std::unique_ptr<ProxyClient>> clients_;
};

}  // namespace switchyard::controller::proxies
