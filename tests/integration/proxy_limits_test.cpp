// The `limits:` section and listeners[].max_connections against a real proxy: 431, 414, 413
// (Content-Length up front and chunked while streaming), 408 on a slow head, accept pausing.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "tests/integration/hostile_util.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/rss.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

const std::string kLimits =
    "limits:\n  max_header_bytes: 2048\n  max_headers: 10\n  max_request_line_bytes: 256\n"
    "  max_body_bytes: 1000\n  header_timeout_ms: 500\n";

class Limits : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(backend_.ok() && proxy_.ok()); }
  void expect_refused(const std::string& bytes, int status, const std::string& error) {
    const auto before = backend_requests(backend_);
    RawResult result = raw_send(proxy_.port(), bytes);
    EXPECT_EQ(result.received.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0), 0u) << result.received;
    EXPECT_NE(result.received.find("x-switchyard-error: " + error + "\r\n"), std::string::npos) << result.received;
    EXPECT_NE(result.received.find("Connection: close\r\n"), std::string::npos) << result.received;
    EXPECT_TRUE(result.closed);
    EXPECT_EQ(backend_requests(backend_) - before, 1) << "the upstream served the request";
  }
  DemoBackend backend_{"app"};
  ProxyProcess proxy_{one_backend_config(backend_, kLimits)};
};

TEST_F(Limits, HeadOverMaxHeaderBytesIs431) {
  expect_refused("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(3000, 'x') + "\r\n\r\n", 431, "header_too_large");
}

TEST_F(Limits, MoreThanMaxHeadersIs431) {
  std::string head = "GET / HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 10; ++i) head += "X-" + std::to_string(i) + ": 1\r\n";
  expect_refused(head + "\r\n", 431, "too_many_headers");
}

TEST_F(Limits, ExactlyMaxHeadersIsServed) {
  std::string head = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n";
  for (int i = 0; i < 8; ++i) head += "X-" + std::to_string(i) + ": 1\r\n";
  EXPECT_EQ(raw_send(proxy_.port(), head + "\r\n").received.rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(Limits, LongRequestLineIs414) {
  expect_refused("GET /" + std::string(300, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, "request_line_too_long");
}

TEST_F(Limits, ContentLengthOverMaxBodyIs413BeforeTheUpstream) {
  expect_refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", 413, "body_too_large");
}

TEST_F(Limits, ChunkedBodyOverMaxBodyIs413) {
  std::string body;
  for (int i = 0; i < 3; ++i) body += "190\r\n" + std::string(400, 'x') + "\r\n";  // 3 x 400 bytes
  expect_refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "0\r\n\r\n", 413,
                 "body_too_large");
}

TEST_F(Limits, BodyAtTheLimitIsServed) {
  auto response = http_request("127.0.0.1", proxy_.port(), "POST", "/upload", std::string(1000, 'x'));
  EXPECT_EQ(response.status, 200) << response.error;
}

TEST_F(Limits, SlowHeadIs408AfterHeaderTimeout) {
  int fd = connect_loopback(proxy_.port());
  ASSERT_GE(fd, 0);
  const std::string part = "GET / HTTP/1.1\r\nHost: a\r\n";
  (void)!::send(fd, part.data(), part.size(), MSG_NOSIGNAL);
  const auto start = std::chrono::steady_clock::now();
  RawResult result = read_until_close(fd, 5s);
  const auto waited = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_EQ(result.received.rfind("HTTP/1.1 408", 0), 0u) << result.received;
  EXPECT_NE(result.received.find("x-switchyard-error: header_timeout"), std::string::npos);
  EXPECT_TRUE(result.closed);
  EXPECT_GE(waited, 400ms);
  EXPECT_LT(waited, 3s);
}

TEST_F(Limits, SilentConnectionIsNotAnsweredWithin408Window) {
  // No byte yet: the idle timeout (60 s here) applies, not header_timeout_ms.
  int fd = connect_loopback(proxy_.port());
  ASSERT_GE(fd, 0);
  RawResult result = read_until_close(fd, 1500ms);
  EXPECT_FALSE(result.closed);
  const std::string request = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  result = read_until_close(fd, 5s);
  ::close(fd);
  EXPECT_EQ(result.received.rfind("HTTP/1.1 200", 0), 0u) << result.received;
}

bool answered_within(int fd, std::chrono::milliseconds timeout) {
  const std::string request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char buf[4096];
  return ::read(fd, buf, sizeof buf) > 0;
}

TEST(ListenerLimits, MaxConnectionsPausesAcceptAndResumes) {
  DemoBackend backend("app");
  ProxyProcess proxy(one_backend_config(backend, "", "    max_connections: 2\n"));
  ASSERT_TRUE(backend.ok() && proxy.ok());
  int a = connect_loopback(proxy.port());
  int b = connect_loopback(proxy.port());
  ASSERT_TRUE(a >= 0 && b >= 0);
  EXPECT_TRUE(answered_within(a, 2000ms));
  EXPECT_TRUE(answered_within(b, 2000ms));
  // The third connect completes in the kernel's backlog, but the proxy does not accept it: its
  // request waits, unanswered and not refused.
  int c = connect_loopback(proxy.port());
  ASSERT_GE(c, 0);
  EXPECT_FALSE(answered_within(c, 500ms));
  ::close(a);
  pollfd p{c, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 3000), 1) << "accept did not resume";
  char buf[4096];
  const auto n = ::read(c, buf, sizeof buf);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)).rfind("HTTP/1.1 200", 0), 0u);
  ::close(b);
  ::close(c);
}

}  // namespace
}  // namespace switchyard::test

namespace switchyard::test {
namespace {

// The descriptor table is sized at start-up (common/fd_limit.hpp), so that the workers never
// wait for an RCU grace period while connections ramp up: the process starts with room for its
// whole open-file limit (at most 65,536) though it has only a handful of descriptors open.
TEST(ListenerLimits, DescriptorTableIsSizedAtStart) {
  DemoBackend backend{"app"};
  ProxyProcess proxy{one_backend_config(backend)};
  ASSERT_TRUE(backend.ok() && proxy.ok());
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  // The proxy raises its soft limit to the hard limit it inherits from this process.
  const std::uint64_t expected = std::min<std::uint64_t>(65536, limit.rlim_max);
  EXPECT_GE(static_cast<std::uint64_t>(proc_status_number(proxy.process().pid(), "FDSize").value_or(0)), expected);
}

}  // namespace
}  // namespace switchyard::test
