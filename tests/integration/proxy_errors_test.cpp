// Error answers of the proxy (404, 502, 503, 504), retry on another endpoint, start-up errors.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <csignal>

#include "tests/integration/proxy_test_util.hpp"

namespace switchyard::test {
namespace {

// A port on 127.0.0.1 where nothing listens: bound but not listening, for as long as the object
// lives, so connecting is refused and no test running in parallel can take the port meanwhile
// (a port merely closed again could be reused by another listener, or as a connection's own
// source port).
class ClosedPort {
 public:
  ClosedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~ClosedPort() { ::close(fd_); }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

std::string config_with(const std::string& upstreams, const std::string& routes, const std::string& extra = "") {
  return "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\nworkers: 1\n" + extra +
         "upstreams:\n" + upstreams + "routes:\n" + routes;
}

TEST(ProxyErrors, NoRouteIs404) {
  DemoBackend blue("blue");
  ProxyProcess proxy(config_with("  - { name: b, endpoints: [" + blue.address() + "] }\n",
                                 "  - name: api\n    match: { host: api.example.com, path_prefix: /api }\n"
                                 "    split: [ { version: v1, upstream: b, weight: 1 } ]\n"));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  auto miss = client.request("GET", "/other", "", {{"Host", "api.example.com"}});
  EXPECT_EQ(miss.status, 404);
  EXPECT_EQ(miss.headers["x-switchyard-error"], "no_route");
  // The connection survives a 404 and the next request matches by host (any case, with port).
  auto hit = client.request("GET", "/api/items?x=1", "", {{"Host", "API.example.com:8080"}});
  EXPECT_EQ(hit.status, 200);
  EXPECT_EQ(answered_by(hit), "blue");
  EXPECT_EQ(client.connects(), 1);
}

TEST(ProxyErrors, ConnectFailureTriesAnotherEndpointThen502) {
  DemoBackend blue("blue");
  const ClosedPort closed;
  auto dead = "127.0.0.1:" + std::to_string(closed.port());
  ProxyProcess proxy(config_with("  - { name: mixed, endpoints: [" + dead + ", " + blue.address() + "] }\n"
                                 "  - { name: gone, endpoints: [" + dead + "] }\n",
                                 "  - name: down\n    match: { path_prefix: /down }\n"
                                 "    split: [ { version: v1, upstream: gone, weight: 1 } ]\n"
                                 "  - name: mixed\n    match: { path_prefix: / }\n"
                                 "    split: [ { version: v1, upstream: mixed, weight: 1 } ]\n"));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(client.request("GET", "/").status, 200) << "request " << i;
  auto down = client.request("GET", "/down");
  EXPECT_EQ(down.status, 502);
  EXPECT_EQ(down.headers["x-switchyard-error"], "connect");
}

TEST(ProxyErrors, NoEndpointIs503) {
  ProxyProcess proxy(config_with("  - { name: empty, endpoints: [] }\n",
                                 "  - name: r\n    split: [ { version: v1, upstream: empty, weight: 1 } ]\n"));
  ASSERT_TRUE(proxy.ok());
  auto response = http_request("127.0.0.1", proxy.port(), "GET", "/");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.headers["x-switchyard-error"], "no_endpoint");
}

TEST(ProxyErrors, SlowUpstreamIs504) {
  DemoBackend slow("slow", {"--latency-ms", "2000"});
  ProxyProcess proxy(config_with("  - { name: s, endpoints: [" + slow.address() + "] }\n",
                                 "  - name: r\n    split: [ { version: v1, upstream: s, weight: 1 } ]\n",
                                 "timeouts: { connect_ms: 500, request_ms: 300, idle_ms: 5000 }\n"));
  ASSERT_TRUE(proxy.ok());
  auto start = std::chrono::steady_clock::now();
  auto response = http_request("127.0.0.1", proxy.port(), "GET", "/");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.status, 504);
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
}

TEST(ProxyErrors, UpstreamErrorsPassThrough) {
  DemoBackend broken("broken", {"--error-rate", "1"});
  ProxyProcess proxy(config_with("  - { name: s, endpoints: [" + broken.address() + "] }\n",
                                 "  - name: r\n    split: [ { version: v1, upstream: s, weight: 1 } ]\n"));
  ASSERT_TRUE(proxy.ok());
  auto response = http_request("127.0.0.1", proxy.port(), "GET", "/");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.headers.count("x-switchyard-error"), 0u);
}

TEST(ProxyErrors, BadConfigExits2WithKeyPath) {
  TempDir dir;
  auto path = dir.write_file("bad.yaml",
                             "listeners:\n  - address: 127.0.0.1:0\nupstreams:\n  - { name: a, endpoints: [] }\n"
                             "routes:\n  - name: r\n    split: [ { version: v1, upstream: a, weight: -1 } ]\n");
  ChildProcess proxy(bin_path("switchyard-proxy"), {"--config", path});
  auto code = proxy.wait_exit(std::chrono::seconds(10));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2);
  EXPECT_NE(proxy.output().find("routes[0].split[0].weight"), std::string::npos) << proxy.output();
  EXPECT_EQ(proxy.output().find("listening"), std::string::npos);
}

TEST(ProxyErrors, MalformedRequestIs400) {
  DemoBackend blue("blue");
  ProxyProcess proxy(config_with("  - { name: b, endpoints: [" + blue.address() + "] }\n",
                                 "  - name: r\n    split: [ { version: v1, upstream: b, weight: 1 } ]\n"));
  ASSERT_TRUE(proxy.ok());
  auto bad_header = raw_exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n");
  EXPECT_EQ(bad_header.rfind("HTTP/1.1 400", 0), 0u) << bad_header;
  auto smuggle = raw_exchange(proxy.port(), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                                            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(smuggle.rfind("HTTP/1.1 400", 0), 0u) << smuggle;
  auto huge = raw_exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(70000, 'a') + "\r\n\r\n");
  EXPECT_EQ(huge.rfind("HTTP/1.1 431", 0), 0u) << huge.substr(0, 100);
}

}  // namespace
}  // namespace switchyard::test
