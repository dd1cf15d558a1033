// The listener-side /metrics families beyond SPEC §5 against a real proxy:
// switchyard_tls_handshake_errors_total, switchyard_listener_connections{listener} and
// switchyard_listener_accept_paused_total{listener}. (Their text is also checked by the real
// Prometheus parser in proxy_metrics_test.cpp, which parses the whole exposition.)
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <thread>

#include "tests/integration/hostile_util.hpp"
#include "tests/integration/tls_test_util.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

// The value of `series` (e.g. `name{listener="127.0.0.1:8080"}`) in the proxy's /metrics.
std::optional<double> metric(const ProxyProcess& proxy, const std::string& series) {
  const auto response = http_request("127.0.0.1", proxy.admin_port(), "GET", "/metrics");
  if (response.status != 200) return std::nullopt;
  std::istringstream lines(response.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

// Polls /metrics until `series` equals `expected` (bounded); returns the last value seen.
std::optional<double> await_metric(const ProxyProcess& proxy, const std::string& series, double expected,
                                   std::chrono::milliseconds timeout = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto value = metric(proxy, series);
  while ((!value || *value != expected) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    value = metric(proxy, series);
  }
  return value;
}

std::string listener_series(const char* name, const ProxyProcess& proxy) {
  return std::string(name) + "{listener=\"127.0.0.1:" + std::to_string(proxy.port()) + "\"}";
}

TEST(ListenerMetrics, CountsFailedTlsHandshakesOnly) {
  TempDir dir;
  TlsCerts certs(dir.path());
  ASSERT_TRUE(certs.ok()) << certs.error();
  ASSERT_TRUE(certs.make_leaf("a", "a.test", {"a.test"})) << certs.error();
  DemoBackend backend("blue");
  ProxyProcess proxy(single_backend_config(
      backend, "  - address: 127.0.0.1:0\n    tls:\n      certificates:\n        - { cert: " + certs.cert("a") +
                   ", key: " + certs.key("a") + " }\n"));
  ASSERT_TRUE(backend.ok() && proxy.ok());
  const std::string series = "switchyard_tls_handshake_errors_total";
  EXPECT_EQ(metric(proxy, series), 0.0);

  // A completed handshake is no error.
  EXPECT_NE(s_client(proxy.port(), "-servername a.test").find("CN = a.test"), std::string::npos);
  // Plain HTTP on the TLS port: the handshake fails and the proxy closes the connection.
  for (int i = 0; i < 2; ++i) {
    const auto result = raw_send(proxy.port(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_TRUE(result.closed);
    EXPECT_EQ(result.received.find("HTTP/1.1"), std::string::npos) << result.received;
  }
  EXPECT_EQ(await_metric(proxy, series, 2), 2.0);
}

TEST(ListenerMetrics, ShowsOpenConnectionsAndAcceptPausesPerListener) {
  DemoBackend backend("app");
  ProxyProcess proxy(one_backend_config(backend, "", "    max_connections: 1\n"));
  ASSERT_TRUE(backend.ok() && proxy.ok());
  const auto open = listener_series("switchyard_listener_connections", proxy);
  const auto paused = listener_series("switchyard_listener_accept_paused_total", proxy);
  EXPECT_EQ(metric(proxy, open), 0.0);
  EXPECT_EQ(metric(proxy, paused), 0.0);

  // One connection fills the listener: it is open and the (single) worker pauses accepting.
  const auto request = std::string("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  int first = connect_loopback(proxy.port());
  ASSERT_GE(first, 0);
  (void)!::send(first, request.data(), request.size(), MSG_NOSIGNAL);
  EXPECT_FALSE(read_until_close(first, 1s).received.empty());
  EXPECT_EQ(await_metric(proxy, open, 1), 1.0);
  EXPECT_EQ(await_metric(proxy, paused, 1), 1.0);

  // Closed: accepting resumes; the next connection fills it again, a second pause.
  ::close(first);
  EXPECT_EQ(await_metric(proxy, open, 0), 0.0);
  int second = connect_loopback(proxy.port());
  ASSERT_GE(second, 0);
  EXPECT_EQ(await_metric(proxy, open, 1), 1.0);
  EXPECT_EQ(await_metric(proxy, paused, 2), 2.0);
  ::close(second);
  EXPECT_EQ(await_metric(proxy, open, 0), 0.0);
  EXPECT_EQ(metric(proxy, paused), 2.0);
}

}  // namespace
}  // namespace switchyard::test
