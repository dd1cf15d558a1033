#include "proxy/routing/cohort_table.hpp"

#include <benchmark/benchmark.h>

namespace switchyard::proxy::routing {
namespace {

void BM_CohortTableBuildFresh(benchmark::State& state) {
  const std::vector<std::string> names{"stable", "canary"};
  for (auto _ : state) benchmark::DoNotOptimize(CohortTable::build(names, {95, 5}, nullptr));
}
BENCHMARK(BM_CohortTableBuildFresh)->Unit(benchmark::kMicrosecond);

// The common operational case: a weight step on a route that already has a table.
void BM_CohortTableBuildIncremental(benchmark::State& state) {
  const std::vector<std::string> names{"stable", "canary", "preview"};
  const auto previous = CohortTable::build(names, {90, 5, 5}, nullptr);
  for (auto _ : state) {
    benchmark::DoNotOptimize(CohortTable::build(names, {70, 25, 5}, &previous));
  }
}
BENCHMARK(BM_CohortTableBuildIncremental)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace switchyard::proxy::routing
