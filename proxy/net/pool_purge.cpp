#include "proxy/net/pool_purge.hpp"

namespace switchyard::proxy::net {

std::size_t PoolPurge::run(UpstreamPool& pool, const routing::RouteTable& table) {
  if (table.generation() != generation_) {
    generation_ = table.generation();
    live_.clear();
    for (const auto& upstream : table.upstreams())
      for (const auto& endpoint : upstream.endpoints) live_.insert(endpoint.key);
  }
  return pool.drop_if([this](const std::string& key) { return !live_.contains(key); });
}

}  // namespace switchyard::proxy::net
