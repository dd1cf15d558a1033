#include "proxy/routing/picker.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace switchyard::proxy::routing {
namespace {

using Kind = config::StickyConfig::Kind;

Route bench_route(Kind sticky) {
  Route route;
  route.name = "shop";
  route.versions = {Version{"stable", 0, 95}, Version{"canary", 1, 5}};
  route.cohorts = CohortTable::build({"stable", "canary"}, {95, 5}, nullptr);
  route.sticky = config::StickyConfig{sticky, "sy_cohort"};
  route.override_header = "x-switchyard-version";
  return route;
}

void BM_PickRandom(benchmark::State& state) {
  const Route route = bench_route(Kind::none);
  FastRandom random(1);
  for (auto _ : state) benchmark::DoNotOptimize(pick_version(route, {}, random));
}
BENCHMARK(BM_PickRandom);

void BM_PickStickyCookieValue(benchmark::State& state) {
  const Route route = bench_route(Kind::cookie);
  FastRandom random(1);
  std::vector<std::string> ids;
  for (int i = 0; i < 1024; ++i) {
    ids.push_back(std::string("3f9a1c").append(std::to_string(1000000000 + i)));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(pick_version(route, {"", ids[i++ & 1023]}, random));
  }
}
BENCHMARK(BM_PickStickyCookieValue);

void BM_PickStickyNewCookie(benchmark::State& state) {
  const Route route = bench_route(Kind::cookie);
  FastRandom random(1);
  for (auto _ : state) benchmark::DoNotOptimize(pick_version(route, {}, random));
}
BENCHMARK(BM_PickStickyNewCookie);

void BM_PickOverride(benchmark::State& state) {
  const Route route = bench_route(Kind::cookie);
  FastRandom random(1);
  for (auto _ : state) benchmark::DoNotOptimize(pick_version(route, {"canary", ""}, random));
}
BENCHMARK(BM_PickOverride);

void BM_FindCookie(benchmark::State& state) {
  const std::string header =
      "_ga=GA1.2.123456789.1700000000; session=\"abcdef0123456789\"; theme=dark; "
      "sy_cohort=0123456789abcdef; lang=en";
  for (auto _ : state) benchmark::DoNotOptimize(find_cookie(header, "sy_cohort"));
}
BENCHMARK(BM_FindCookie);

}  // namespace
}  // namespace switchyard::proxy::routing
