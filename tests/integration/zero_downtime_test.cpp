// Zero-downtime operations under steady concurrent load (16 keep-alive connections): weight
// flips, endpoint replacement, reloads, removing an endpoint with a request in flight, and a
// graceful shutdown. Each asserts no error and no non-2xx answer, and prints its figures.

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <future>
#include <thread>

#include "tests/integration/proxy_test_util.hpp"
#include "tests/integration/zero_downtime_util.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

LoadOptions load_on(const ProxyProcess& proxy) {
  LoadOptions options;
  options.port = proxy.port();
  options.connections = 16;
  options.post_every = 0;
  return options;
}

int put_endpoints(const ProxyProcess& proxy, const std::string& upstream, const std::string& endpoint) {
  return http_request("127.0.0.1", proxy.admin_port(), "PUT", "/v1/upstreams/" + upstream,
                      R"({"endpoints":[")" + endpoint + R"("]})", {{"Content-Type", "application/json"}})
      .status;
}

TEST(ZeroDowntime, WeightFlipsUnderLoad) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0));
  ASSERT_TRUE(proxy.ok());
  LoadClient load(load_on(proxy));
  load.start();
  ASSERT_TRUE(load.wait_for_requests(200));
  for (int flip = 0; flip < 20; ++flip) {
    ASSERT_EQ(set_weights(proxy, flip % 2 ? R"({"blue":100,"green":0})" : R"({"blue":0,"green":100})"), 200);
    ASSERT_TRUE(load.wait_for_requests(100));
  }
  const auto result = load.stop();
  expect_no_downtime("20 weight flips 100/0 <-> 0/100", result, 2000);
  EXPECT_GT(result.bodies.count("blue") ? result.bodies.at("blue") : 0, 0u);
  EXPECT_GT(result.bodies.count("green") ? result.bodies.at("green") : 0, 0u);
}

TEST(ZeroDowntime, EndpointReplacementDrainsOldPooledConnections) {
  DemoBackend blue("blue"), blue2("blue2"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0));
  ASSERT_TRUE(proxy.ok());
  const int idle_sockets = socket_count(blue.process().pid());
  LoadClient load(load_on(proxy));
  load.start();
  ASSERT_TRUE(load.wait_for_requests(500));
  EXPECT_GT(socket_count(blue.process().pid()), idle_sockets);  // the proxy pools connections to blue
  ASSERT_EQ(put_endpoints(proxy, "shop-blue", blue2.address()), 200);
  ASSERT_TRUE(load.wait_for_requests(1000));
  // The old endpoint's pooled connections are closed (worker pool timer, 1 s), not kept until
  // the idle timeout: blue is back to its listening socket(s).
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (socket_count(blue.process().pid()) > idle_sockets && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(socket_count(blue.process().pid()), idle_sockets);
  const auto result = load.stop();
  expect_no_downtime("PUT /v1/upstreams endpoint replacement", result, 1500);
  EXPECT_GT(result.bodies.count("blue") ? result.bodies.at("blue") : 0, 0u);
  EXPECT_GT(result.bodies.count("blue2") ? result.bodies.at("blue2") : 0, 0u);
}

TEST(ZeroDowntime, RepeatedReloadsUnderLoad) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0));
  ASSERT_TRUE(proxy.ok());
  LoadClient load(load_on(proxy));
  load.start();
  ASSERT_TRUE(load.wait_for_requests(200));
  for (int i = 0; i < 10; ++i) {
    const int blue_weight = i % 2 ? 100 : 0;
    std::ofstream(proxy.config_path()) << two_version_config(blue, green, blue_weight, 100 - blue_weight);
    if (i % 2) {
      proxy.process().signal(SIGHUP);
    } else {
      ASSERT_EQ(http_request("127.0.0.1", proxy.admin_port(), "POST", "/v1/config/reload").status, 200);
    }
    ASSERT_TRUE(load.wait_for_requests(150));
  }
  const auto result = load.stop();
  expect_no_downtime("10 reloads (5 POST /v1/config/reload, 5 SIGHUP)", result, 1500);
  EXPECT_GT(result.bodies.count("green") ? result.bodies.at("green") : 0, 0u);
}

TEST(ZeroDowntime, RemovedEndpointFinishesItsInFlightRequest) {
  DemoBackend blue("blue"), green("green"), slow("slow", {"--latency-ms", "1500"});
  ProxyProcess proxy(two_version_config(blue, green, 100, 0, "    override_header: x-switchyard-version\n"));
  ASSERT_TRUE(proxy.ok());
  ASSERT_EQ(put_endpoints(proxy, "shop-green", slow.address()), 200);
  LoadClient load(load_on(proxy));
  load.start();
  // The override header sends this one request to green (the slow endpoint).
  auto slow_request = std::async(std::launch::async, [&] {
    HttpClient client("127.0.0.1", proxy.port(), 10s);
    return client.request("GET", "/", "", {{"x-switchyard-version", "green"}});
  });
  // The request cannot be answered before 1500 ms: removing the endpoint after 300 ms (enough for
  // the request to reach the backend) removes it with the request in flight.
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(put_endpoints(proxy, "shop-green", green.address()), 200);
  const auto answer = slow_request.get();
  EXPECT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(answered_by(answer), "slow");
  const auto result = load.stop();
  expect_no_downtime("endpoint removed with a 1.5 s request in flight", result, 500);
}

TEST(ZeroDowntime, SigtermFinishesSlowInFlightRequestsAndExitsZero) {
  DemoBackend blue("blue", {"--latency-ms", "1000"}), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0, "", "workers: 2\ntimeouts: { drain_ms: 5000 }\n"));
  ASSERT_TRUE(proxy.ok());
  std::vector<std::future<HttpResponse>> in_flight;
  for (int i = 0; i < 8; ++i)
    in_flight.push_back(std::async(std::launch::async, [&] {
      HttpClient client("127.0.0.1", proxy.port(), 10s);
      return client.request("GET", "/");
    }));
  std::this_thread::sleep_for(300ms);  // the answers take 1000 ms: all 8 are in flight now
  const auto signalled = std::chrono::steady_clock::now();
  proxy.process().signal(SIGTERM);
  for (auto& request : in_flight) {
    const auto answer = request.get();
    EXPECT_EQ(answer.status, 200) << answer.error;
  }
  EXPECT_EQ(proxy.process().wait_exit(6s), 0) << proxy.process().output();
  const auto took = std::chrono::steady_clock::now() - signalled;
  EXPECT_LT(took, 5s);
  std::cout << "[zero-downtime] SIGTERM with 8 x 1 s requests in flight: 8/8 answered 200, exit 0 after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms" << std::endl;
}

}  // namespace
}  // namespace switchyard::test
