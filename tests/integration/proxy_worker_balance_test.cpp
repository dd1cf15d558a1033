// The workers share one accept queue per listener and balance it: 100 keep-alive clients end up
// spread evenly over two workers (switchyard_worker_connections), where SO_REUSEPORT's hash of
// the connections' ports would leave one worker with noticeably more.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <regex>
#include <vector>

#include "tests/integration/health_test_util.hpp"
#include "tests/integration/hostile_util.hpp"
#include "tests/support/proxy_process.hpp"

namespace switchyard::test {
namespace {

// switchyard_worker_connections by worker index, from one /metrics answer.
std::vector<long> worker_connections(const ProxyProcess& proxy) {
  const std::string text = metrics_text(proxy);
  static const std::regex series(R"re(switchyard_worker_connections\{worker="(\d+)"\} (\d+))re");
  std::vector<long> counts;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), series); it != std::sregex_iterator(); ++it) {
    const auto worker = std::stoul((*it)[1]);
    if (counts.size() <= worker) counts.resize(worker + 1);
    counts[worker] = std::stol((*it)[2]);
  }
  return counts;
}

TEST(WorkerBalance, KeepAliveClientsAreSpreadEvenlyOverTheWorkers) {
  DemoBackend backend("app");
  ProxyProcess proxy("listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\nworkers: 2\n"
                     "upstreams:\n  - { name: app, endpoints: [" + backend.address() + "] }\n"
                     "routes:\n  - name: app\n    split: [ { version: v1, upstream: app, weight: 1 } ]\n");
  ASSERT_TRUE(backend.ok() && proxy.ok());

  constexpr int kClients = 100;
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<HttpClient>("127.0.0.1", proxy.port()));
    ASSERT_EQ(clients.back()->request("GET", "/").status, 200) << "client " << i;
  }

  std::vector<long> counts;
  ASSERT_TRUE(eventually([&] {
    counts = worker_connections(proxy);
    return counts.size() == 2 && counts[0] + counts[1] == kClients;
  })) << "switchyard_worker_connections never added up to " << kClients;
  const auto [fewest, most] = std::minmax_element(counts.begin(), counts.end());
  // The rule keeps the difference at 2; a worker that waited 2 ms for its peer in vain accepts
  // anyway (a loaded machine), hence the slack.
  EXPECT_LE(*most - *fewest, 4) << "worker 0: " << counts[0] << ", worker 1: " << counts[1];
}

}  // namespace
}  // namespace switchyard::test
