#pragma once
// PoolPurge: closes a worker's idle upstream connections to endpoints that the current route
// table no longer has (an upstream's endpoints were replaced, a reload removed them). Requests
// in flight on such connections finish; only idle pooled ones are closed, so they are neither
// reused nor left open until the idle timeout. Worker-local: run from the worker's pool timer.

#include <cstdint>
#include <string>
#include <unordered_set>

#include "proxy/net/upstream_pool.hpp"
#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::net {

class PoolPurge {
 public:
  // Rebuilds the set of live endpoint keys when `table` is a new snapshot, then drops the idle
  // connections to any other key (connections returned since the last run included).
  // Returns how many were closed.
  std::size_t run(UpstreamPool& pool, const routing::RouteTable& table);

 private:
  std::uint64_t generation_ = ~std::uint64_t{0};
  std::unordered_set<std::string> live_;
};

}  // namespace switchyard::proxy::net
