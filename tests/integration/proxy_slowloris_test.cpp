// Slowloris: 500 connections dribble a request head one byte at a time and 200 more send
// nothing, while a well-behaved keep-alive client measures its latency. The slow heads must be
// cut off by limits.header_timeout_ms (408), the silent ones by timeouts.idle_ms, and the normal
// client must not notice.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

#include "tests/integration/hostile_util.hpp"
#include "tests/support/proxy_process.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kSlow = 500;
constexpr int kSilent = 200;
#if defined(SWITCHYARD_SANITIZED_BUILD) || !defined(NDEBUG)
constexpr auto kP99Bound = 1000ms;  // sanitizer/debug builds check behaviour (CI saw 260 ms); the bound is a release promise
constexpr auto kSlowCloseBound = 12s;
constexpr auto kSilentCloseBound = 15s;
#else
constexpr auto kP99Bound = 100ms;
constexpr auto kSlowCloseBound = 4s;
constexpr auto kSilentCloseBound = 8s;
#endif

// The test needs ~kSlow + kSilent descriptors (plus the client's); raise the soft limit.
void raise_fd_limit_for_test() {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  if (limit.rlim_cur < 2 * (kSlow + kSilent) + 64) GTEST_SKIP() << "open-file hard limit too low: " << limit.rlim_cur;
}

struct Latency {
  std::chrono::microseconds p50{}, p99{};
  int failures = 0;
};

Latency measure(HttpClient& client, int requests) {
  std::vector<std::chrono::microseconds> samples;
  Latency result;
  for (int i = 0; i < requests; ++i) {
    const auto start = Clock::now();
    auto response = client.request("GET", "/");
    samples.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
    if (response.status != 200) ++result.failures;
  }
  std::sort(samples.begin(), samples.end());
  result.p50 = samples[samples.size() / 2];
  result.p99 = samples[samples.size() * 99 / 100];
  return result;
}

TEST(Slowloris, SlowHeadsAreCutOffAndDoNotSlowOthers) {
  raise_fd_limit_for_test();
  if (IsSkipped()) return;
  DemoBackend backend("app");
  ProxyProcess proxy(one_backend_config(
      backend, "timeouts: { idle_ms: 3000 }\nlimits: { header_timeout_ms: 1000 }\n"));
  ASSERT_TRUE(backend.ok() && proxy.ok());

  HttpClient client("127.0.0.1", proxy.port(), 5s);
  measure(client, 50);  // warm-up: connections, caches
  const Latency quiet = measure(client, 300);

  std::vector<int> slow, silent;
  for (int i = 0; i < kSlow; ++i) slow.push_back(connect_loopback(proxy.port()));
  for (int i = 0; i < kSilent; ++i) silent.push_back(connect_loopback(proxy.port()));
  const auto opened = Clock::now();
  ASSERT_EQ(std::count(slow.begin(), slow.end(), -1) + std::count(silent.begin(), silent.end(), -1), 0);

  // Dribbles one byte per connection every 50 ms for 2.5 s: far longer than header_timeout_ms.
  std::atomic<bool> stop{false};
  std::thread dribbler([&] {
    const std::string head = "GET /slow HTTP/1.1\r\nHost: slow.example\r\nX-Pad: " + std::string(200, 'p');
    for (std::size_t i = 0; i < head.size() && !stop && Clock::now() - opened < 2500ms; ++i) {
      for (int fd : slow) (void)!::send(fd, &head[i], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      std::this_thread::sleep_for(50ms);
    }
  });
  const Latency loaded = measure(client, 300);
  stop = true;
  dribbler.join();

  // Every slow connection got 408 and was closed, within the header timeout plus slack. As for
  // the silent ones below, the header clock starts at accept, and under a sanitizer on a loaded
  // CI machine the worker accepts the last of 700 connections late (a CI run saw 17 of 500 miss
  // a 4 s bound there), so those builds get more slack; a slow head that is never cut off fails.
  int slow_408 = 0, slow_closed = 0;
  for (int fd : slow) {
    const auto left = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                 opened + kSlowCloseBound - Clock::now()));
    RawResult result = read_until_close(fd, left);
    slow_408 += result.received.rfind("HTTP/1.1 408", 0) == 0;
    slow_closed += result.closed;
    ::close(fd);
  }
  // The silent ones are the idle timeout's (3 s) business.
  // The bound counts from when the test connected, but the idle clock starts when the proxy
  // accepts: a worker busy with 700 hostile connections (slow under sanitizers) accepts the
  // last ones late, so the slack is generous. A silent connection that is never closed still fails.
  int silent_closed = 0, silent_answered = 0;
  for (int fd : silent) {
    const auto left = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                 opened + kSilentCloseBound - Clock::now()));
    RawResult result = read_until_close(fd, left);
    silent_closed += result.closed;
    silent_answered += !result.received.empty();
    ::close(fd);
  }

  std::cout << "slowloris: quiet p50 " << quiet.p50.count() << " us, p99 " << quiet.p99.count()
            << " us; with " << kSlow << " slow + " << kSilent << " silent connections p50 " << loaded.p50.count()
            << " us, p99 " << loaded.p99.count() << " us\n";
  RecordProperty("quiet_p99_us", static_cast<int>(quiet.p99.count()));
  RecordProperty("loaded_p99_us", static_cast<int>(loaded.p99.count()));
  EXPECT_EQ(quiet.failures, 0);
  EXPECT_EQ(loaded.failures, 0);
  EXPECT_LT(loaded.p99, kP99Bound);
  EXPECT_EQ(slow_408, kSlow);
  EXPECT_EQ(slow_closed, kSlow);
  EXPECT_EQ(silent_closed, kSilent);
  EXPECT_EQ(silent_answered, 0) << "a connection that sent nothing is closed without an answer";
  EXPECT_EQ(client.connects(), 1) << "the keep-alive client was disconnected";
}

}  // namespace
}  // namespace switchyard::test
