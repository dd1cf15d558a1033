#pragma once
// Shared helpers for the proxy integration tests: config text for two demo backends and
// counting which version answered.

#include <map>
#include <string>

#include "tests/support/demo_backend.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/proxy_process.hpp"

namespace switchyard::test {

// A proxy config with one route "shop" splitting between blue and green by `blue_weight` /
// `green_weight`; `route_extra` is appended to the route (sticky, override_header...).
inline std::string two_version_config(const DemoBackend& blue, const DemoBackend& green, int blue_weight,
                                      int green_weight, const std::string& route_extra = "",
                                      const std::string& top_extra = "workers: 2\n") {
  return "listeners:\n  - address: 127.0.0.1:0\n"
         "admin:\n  address: 127.0.0.1:0\n" +
         top_extra +
         "upstreams:\n"
         "  - name: shop-blue\n    endpoints: [" + blue.address() + "]\n"
         "  - name: shop-green\n    endpoints: [" + green.address() + "]\n"
         "routes:\n"
         "  - name: shop\n"
         "    match: { path_prefix: / }\n"
         "    split:\n"
         "      - { version: blue, upstream: shop-blue, weight: " + std::to_string(blue_weight) + " }\n"
         "      - { version: green, upstream: shop-green, weight: " + std::to_string(green_weight) + " }\n" +
         route_extra;
}

// The version that answered: the demo backend's body is "NAME\n".
inline std::string answered_by(const HttpResponse& response) {
  std::string body = response.body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return body;
}

// Sets weights through the admin API; returns the HTTP status.
inline int set_weights(const ProxyProcess& proxy, const std::string& json) {
  return http_request("127.0.0.1", proxy.admin_port(), "PUT", "/v1/routes/shop/weights", json,
                      {{"Content-Type", "application/json"}})
      .status;
}

}  // namespace switchyard::test

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace switchyard::test {

// A blocking TCP connection to 127.0.0.1:`port`, or -1.
inline int connect_loopback(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `bytes` on a fresh connection and reads until the peer closes, `expect_responses` HTTP
// status lines have arrived and their bodies are complete enough for the caller, or `timeout`.
// Raw on purpose: for pipelining and malformed requests a well-behaved client cannot send.
inline std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                                std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                const std::string& stop_after = "") {
  int fd = connect_loopback(port);
  if (fd < 0) return "";
  (void)!::write(fd, bytes.data(), bytes.size());
  std::string received;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!stop_after.empty() && received.find(stop_after) != std::string::npos) break;
    pollfd p{fd, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) break;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    received.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return received;
}

}  // namespace switchyard::test
