#pragma once
// Helpers for the hostile-client tests: a raw exchange that also reports whether the proxy
// closed the connection, a one-backend proxy config, and the demo backend's request counter.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "tests/support/demo_backend.hpp"
#include "tests/support/http_client.hpp"
#include "tests/integration/proxy_test_util.hpp"

namespace switchyard::test {

struct RawResult {
  std::string received;
  bool closed = false;  // the proxy closed (EOF or reset) within the timeout
};

// Reads from `fd` until the peer closes or `timeout`.
inline RawResult read_until_close(int fd, std::chrono::milliseconds timeout) {
  RawResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) break;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      result.closed = true;
      break;
    }
    result.received.append(buf, static_cast<std::size_t>(n));
  }
  return result;
}

inline RawResult raw_send(std::uint16_t port, const std::string& bytes,
                          std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  int fd = connect_loopback(port);
  if (fd < 0) return {};
  (void)!::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  RawResult result = read_until_close(fd, timeout);
  ::close(fd);
  return result;
}

inline std::string one_backend_config(const DemoBackend& backend, const std::string& extra = "",
                                      const std::string& listener_extra = "") {
  return "listeners:\n  - address: 127.0.0.1:0\n" + listener_extra +
         "admin:\n  address: 127.0.0.1:0\nworkers: 1\n" + extra +
         "upstreams:\n  - { name: app, endpoints: [" + backend.address() + "] }\n"
         "routes:\n  - name: app\n    split: [ { version: v1, upstream: app, weight: 1 } ]\n";
}

// Requests the demo backend has served so far (its /admin/stats counter).
inline std::int64_t backend_requests(const DemoBackend& backend) {
  auto response = http_request("127.0.0.1", backend.port(), "GET", "/admin/stats", "", {});
  if (response.status != 200) return -1;
  return boost::json::parse(response.body).as_object().at("requests").as_int64();
}

}  // namespace switchyard::test
