#include "proxy/routing/route_table_publisher.hpp"

#include <benchmark/benchmark.h>

namespace switchyard::proxy::routing {
namespace {

std::shared_ptr<const RouteTable> small_table() {
  config::ProxyConfig config;
  config.upstreams.push_back({"blue", {{"127.0.0.1", 9001}}, std::nullopt});
  config::RouteConfig route;
  route.name = "shop";
  route.split = {{"stable", "blue", 1}};
  config.routes.push_back(route);
  return RouteTable::build(config, nullptr, 1);
}

// Steady state of the request path: nothing published since the last request.
void BM_CacheGet(benchmark::State& state) {
  RouteTablePublisher publisher(small_table());
  RouteTableCache cache(publisher);
  for (auto _ : state) benchmark::DoNotOptimize(cache.get().get());
}
BENCHMARK(BM_CacheGet);

// What a request pays when it also copies the snapshot to keep it for its lifetime.
void BM_CacheGetAndHold(benchmark::State& state) {
  RouteTablePublisher publisher(small_table());
  RouteTableCache cache(publisher);
  for (auto _ : state) {
    std::shared_ptr<const RouteTable> held = cache.get();
    benchmark::DoNotOptimize(held.get());
  }
}
BENCHMARK(BM_CacheGetAndHold);

}  // namespace
}  // namespace switchyard::proxy::routing
