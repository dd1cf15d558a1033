#include "proxy/routing/route_table.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace switchyard::proxy::routing {
namespace {

// 20 routes: 19 host-specific ones, then a catch-all; the benchmark hits the last host-specific
// route (worst case short of a miss) with a mixed-case host and a port.
config::ProxyConfig twenty_routes() {
  config::ProxyConfig config;
  config.upstreams.push_back({"blue", {{"127.0.0.1", 9001}}, std::nullopt});
  config.upstreams.push_back({"green", {{"127.0.0.1", 9002}}, std::nullopt});
  for (int i = 0; i < 19; ++i) {
    config::RouteConfig route;
    route.name = std::string("r").append(std::to_string(i));
    const std::string host = std::string("svc").append(std::to_string(i)).append(".example.com");
    route.match = {host, i % 2 ? "/api/" : "/"};
    route.split = {{"stable", "blue", 95}, {"canary", "green", 5}};
    config.routes.push_back(route);
  }
  config::RouteConfig catch_all;
  catch_all.name = "default";
  catch_all.split = {{"stable", "blue", 1}};
  config.routes.push_back(catch_all);
  return config;
}

void BM_RouteMatch20(benchmark::State& state) {
  const auto table = RouteTable::build(twenty_routes(), nullptr, 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(table->match("SVC18.example.com:8080", "/static/app.js"));
  }
}
BENCHMARK(BM_RouteMatch20);

void BM_RouteMatch20CatchAll(benchmark::State& state) {
  const auto table = RouteTable::build(twenty_routes(), nullptr, 1);
  for (auto _ : state) benchmark::DoNotOptimize(table->match("unknown.example.org", "/x"));
}
BENCHMARK(BM_RouteMatch20CatchAll);

void BM_RouteTableBuild20(benchmark::State& state) {
  const auto config = twenty_routes();
  auto previous = RouteTable::build(config, nullptr, 1);
  for (auto _ : state) benchmark::DoNotOptimize(RouteTable::build(config, previous.get(), 2));
}
BENCHMARK(BM_RouteTableBuild20)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace switchyard::proxy::routing
