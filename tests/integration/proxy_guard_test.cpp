// The guard end to end: a canary that starts failing is reverted by the proxy itself within the
// SPEC §7 budget (measured over repeated trips), and a canary with noise below the threshold is
// not. Real proxy, real demo backends, concurrent keep-alive clients.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/integration/proxy_test_util.hpp"

namespace switchyard::test {
namespace {

using Clock = std::chrono::steady_clock;

// SPEC §7: 250 ms from the breaking request. Sanitizer builds run the proxy several times slower,
// so there the figure is still measured and printed, but only held to a looser bound.
#ifdef SWITCHYARD_SANITIZED_BUILD
constexpr double kRevertBudgetMs = 1000.0;
#else
constexpr double kRevertBudgetMs = 250.0;
#endif

const char* kGuard =
    "    guard: { revert_to: blue, window_ms: 2000, min_requests: 20, max_error_rate: 0.05 }\n";

struct Sample {
  Clock::time_point sent, received;
  std::string version;
  int status;
};

// Keeps `threads` keep-alive clients busy and records every exchange.
class SteadyLoad {
 public:
  SteadyLoad(std::uint16_t port, int threads) {
    for (int t = 0; t < threads; ++t) {
      workers_.emplace_back([this, port] {
        HttpClient client("127.0.0.1", port);
        std::vector<Sample> mine;
        while (!stop_.load()) {
          Sample sample;
          sample.sent = Clock::now();
          auto response = client.request("GET", "/");
          sample.received = Clock::now();
          sample.status = response.ok() ? response.status : 0;
          sample.version = answered_by(response);
          mine.push_back(std::move(sample));
          count_.fetch_add(1);
        }
        std::lock_guard lock(mutex_);
        samples_.insert(samples_.end(), mine.begin(), mine.end());
      });
    }
  }
  ~SteadyLoad() { stop(); }
  std::vector<Sample> stop() {
    stop_ = true;
    for (auto& worker : workers_)
      if (worker.joinable()) worker.join();
    return samples_;
  }
  // Waits until `n` more exchanges completed, or `timeout` passed.
  void wait_for(int n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const int target = count_.load() + n;
    const auto deadline = Clock::now() + timeout;
    while (count_.load() < target && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> count_{0};
  std::mutex mutex_;
  std::vector<Sample> samples_;
  std::vector<std::thread> workers_;
};

std::string guard_state(const ProxyProcess& proxy) {
  auto route = http_request("127.0.0.1", proxy.admin_port(), "GET", "/v1/routes/shop");
  boost::system::error_code ec;
  auto value = boost::json::parse(route.body, ec);
  if (ec) return "unreadable";
  return std::string(value.as_object().at("guard").as_object().at("state").as_string());
}

int set_faults(const DemoBackend& backend, double error_rate) {
  return http_request("127.0.0.1", backend.port(), "PUT", "/admin/faults",
                      "{\"error_rate\":" + std::to_string(error_rate) + "}")
      .status;
}

TEST(ProxyGuard, RevertsFailingCanaryWithinBudget) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 50, 50, kGuard));
  ASSERT_TRUE(proxy.ok());
  ASSERT_EQ(guard_state(proxy), "armed");

  constexpr int kTrips = 10;
  std::vector<double> revert_ms;
  for (int trip = 0; trip < kTrips; ++trip) {
    ASSERT_EQ(set_faults(green, 0), 200);
    ASSERT_EQ(set_weights(proxy, R"({"blue":50,"green":50})"), 200);  // re-arms
    ASSERT_EQ(guard_state(proxy), "armed");
    SteadyLoad load(proxy.port(), 4);
    load.wait_for(200);
    const auto fault_at = Clock::now();
    ASSERT_EQ(set_faults(green, 1.0), 200);
    std::string state;
    for (int i = 0; i < 2000 && (state = guard_state(proxy)) != "tripped"; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ASSERT_EQ(state, "tripped") << "trip " << trip;
    load.wait_for(400);  // traffic after the trip: none of it may reach green
    auto samples = load.stop();

    Clock::time_point first_failure = Clock::time_point::max(), last_green_sent = Clock::time_point::min();
    int after_trip_green = 0, failed_exchanges = 0;
    const auto tripped_seen = Clock::now();
    for (const auto& s : samples) {
      if (s.status == 0) ++failed_exchanges;
      if (s.sent < fault_at) continue;
      if (s.status == 500 && s.version == "green error") first_failure = std::min(first_failure, s.received);
      if (s.version.rfind("green", 0) == 0) {
        last_green_sent = std::max(last_green_sent, s.sent);
        if (s.sent > tripped_seen) ++after_trip_green;
      }
    }
    EXPECT_EQ(failed_exchanges, 0);
    EXPECT_EQ(after_trip_green, 0);
    ASSERT_NE(first_failure, Clock::time_point::max());
    // From the first failing response to the last request routed to green (negative = none after it).
    double ms = std::chrono::duration<double, std::milli>(last_green_sent - first_failure).count();
    revert_ms.push_back(std::max(0.0, ms));
  }
  std::sort(revert_ms.begin(), revert_ms.end());
  const double median = revert_ms[revert_ms.size() / 2], worst = revert_ms.back();
  std::printf("[ metric ] guard revert over %d trips: median %.1f ms, worst %.1f ms\n", kTrips, median, worst);
  EXPECT_LT(worst, kRevertBudgetMs);

  auto events = http_request("127.0.0.1", proxy.admin_port(), "GET", "/v1/events?since=0");
  EXPECT_NE(events.body.find("\"guard_tripped\""), std::string::npos);
  auto metrics = http_request("127.0.0.1", proxy.admin_port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("switchyard_guard_trips_total{route=\"shop\"} " + std::to_string(kTrips)), std::string::npos);
}

TEST(ProxyGuard, NoiseBelowThresholdDoesNotTrip) {
  DemoBackend blue("blue"), green("green", {"--error-rate", "0.01"});
  ProxyProcess proxy(two_version_config(blue, green, 50, 50, kGuard));
  ASSERT_TRUE(proxy.ok());
  SteadyLoad load(proxy.port(), 4);
  load.wait_for(6000, std::chrono::seconds(90));  // sanitizer builds are several times slower
  auto samples = load.stop();
  int green_errors = 0, green_total = 0;
  for (const auto& s : samples) {
    if (s.version.rfind("green", 0) != 0) continue;
    ++green_total;
    green_errors += s.status == 500;
  }
  EXPECT_GT(green_total, 2000);
  EXPECT_GT(green_errors, 0);  // the noise was really there
  EXPECT_EQ(guard_state(proxy), "armed") << green_errors << " errors in " << green_total;
}

}  // namespace
}  // namespace switchyard::test
