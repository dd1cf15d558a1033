// Hostile request shapes through a real proxy (docs/hostile-input.md): each one gets its status
// and x-switchyard-error, "Connection: close", the connection closes, and the upstream never
// serves the request.

#include <gtest/gtest.h>

#include <memory>

#include "tests/integration/hostile_util.hpp"
#include "tests/support/proxy_process.hpp"

namespace switchyard::test {
namespace {

struct Shape {
  const char* name;
  std::string bytes;
  int status;
  const char* error;  // x-switchyard-error
};

const std::string kHead = "GET / HTTP/1.1\r\nHost: a.example\r\n";
const std::string kPost = "POST / HTTP/1.1\r\nHost: a.example\r\n";

std::vector<Shape> shapes() {
  using namespace std::string_literals;
  return {
      // Framing: request smuggling material.
      {"cl_then_te", kPost + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "bad_transfer_encoding"},
      {"te_then_cl", kPost + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400, "bad_content_length"},
      {"te_gzip_and_cl", kPost + "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello", 400,
       "content_length_with_transfer_encoding"},
      {"cl_duplicate_differing", kPost + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, "duplicate_content_length"},
      {"cl_duplicate_identical", kPost + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400, "duplicate_content_length"},
      {"cl_list", kPost + "Content-Length: 5, 5\r\n\r\nhello", 400, "duplicate_content_length"},
      {"cl_negative", kPost + "Content-Length: -1\r\n\r\n", 400, "bad_content_length"},
      {"cl_overflow", kPost + "Content-Length: 99999999999999999999999\r\n\r\n", 400, "bad_content_length"},
      {"cl_hex", kPost + "Content-Length: 0x5\r\n\r\nhello", 400, "bad_content_length"},
      {"te_chunked_identity", kPost + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400, "bad_transfer_encoding"},
      {"te_xchunked", kPost + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400, "bad_transfer_encoding"},
      {"te_chunked_twice_in_list", kPost + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400, "bad_transfer_encoding"},
      {"te_two_fields", kPost + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
       "bad_transfer_encoding"},
      {"te_identity_then_chunked_fields", kPost + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       400, "bad_transfer_encoding"},
      {"te_gzip_chunked", kPost + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400, "bad_transfer_encoding"},
      {"te_in_http10", "POST / HTTP/1.0\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
       "bad_transfer_encoding"},
      // Chunked bodies: found while streaming, after the head went upstream.
      {"chunk_size_overflow", kPost + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nab\r\n0\r\n\r\n", 400, "bad_chunk"},
      {"chunk_size_negative", kPost + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", 400, "bad_chunk"},
      {"chunk_size_not_hex", kPost + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400, "bad_chunk"},
      {"chunk_extension_bad", kPost + "Transfer-Encoding: chunked\r\n\r\n5;\x01=\"\r\nhello\r\n0\r\n\r\n", 400, "bad_chunk"},
      {"chunk_missing_crlf", kPost + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX0\r\n\r\n", 400, "bad_chunk"},
      // Line structure and characters.
      {"obs_fold", kHead + "X-A: 1\r\n continued\r\n\r\n", 400, "obs_fold"},
      {"obs_fold_tab", kHead + "X-A: 1\r\n\tcontinued\r\n\r\n", 400, "obs_fold"},
      {"bare_cr", kHead + "X-A: 1\rX-B: 2\r\n\r\n", 400, "bare_cr"},
      {"bare_lf", "GET / HTTP/1.1\nHost: a.example\n\n", 400, "bare_lf"},
      {"bare_lf_in_headers", kHead + "X-A: 1\n\r\n", 400, "bare_lf"},
      {"nul_in_value", kHead + "X-A: a\0b\r\n\r\n"s, 400, "control_character"},
      {"control_in_value", kHead + "X-A: a\x01" "b\r\n\r\n", 400, "control_character"},
      {"del_in_value", kHead + "X-A: a\x7f" "b\r\n\r\n", 400, "control_character"},
      {"nul_in_name", kHead + "X-\0A: b\r\n\r\n"s, 400, "control_character"},
      {"space_before_colon", "GET / HTTP/1.1\r\nHost : a.example\r\n\r\n", 400, "space_before_colon"},
      {"tab_before_colon", kHead + "X-A\t: 1\r\n\r\n", 400, "space_before_colon"},
      {"header_without_colon", kHead + "X-A 1\r\n\r\n", 400, "space_before_colon"},
      {"header_name_separator", kHead + "X(A): 1\r\n\r\n", 400, "bad_header_name"},
      {"too_many_leading_empty_lines", "\r\n\r\n\r\n\r\n\r\n\r\n" + kHead + "\r\n", 400, "bad_request_line"},
      // Request line.
      {"method_non_token", "GE(T / HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_method"},
      {"method_with_tab", "GET\t/ HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "control_character"},
      {"target_with_space", "GET /a b HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_version"},
      {"target_control", "GET /a\x01 HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "control_character"},
      {"target_fragment", "GET /a#frag HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_relative", "GET a/b HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_star_for_get", "GET * HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_authority_for_get", "GET a.example:80 HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_bad_percent", "GET /a%zz HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_truncated_percent", "GET /a% HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_non_ascii", "GET /\xc3\xa9 HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_backslash", "GET /a\\b HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_absolute_userinfo", "GET http://u@a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"target_absolute_ftp", "GET ftp://a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_target"},
      {"connect", "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n", 405, "connect_not_supported"},
      // Host.
      {"missing_host", "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", 400, "missing_host"},
      {"multiple_host", kHead + "Host: b.example\r\n\r\n", 400, "multiple_host"},
      {"multiple_host_http10", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400, "multiple_host"},
      {"host_mismatch_absolute", "GET http://b.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n", 400, "host_mismatch"},
      {"host_invalid", "GET / HTTP/1.1\r\nHost: a.example/x\r\n\r\n", 400, "bad_host"},
      // Versions.
      {"version_2", "GET / HTTP/2.0\r\nHost: a.example\r\n\r\n", 400, "bad_version"},
      {"version_1_2", "GET / HTTP/1.2\r\nHost: a.example\r\n\r\n", 400, "bad_version"},
      {"version_0_9", "GET /\r\n\r\n", 400, "bad_target"},
      {"version_lowercase", "GET / http/1.1\r\nHost: a.example\r\n\r\n", 400, "bad_version"},
  };
}

class HostileShapes : public ::testing::TestWithParam<Shape> {
 protected:
  static void SetUpTestSuite() {
    backend_ = std::make_unique<DemoBackend>("app");
    proxy_ = std::make_unique<ProxyProcess>(one_backend_config(*backend_));
  }
  static void TearDownTestSuite() {
    proxy_.reset();
    backend_.reset();
  }
  static std::unique_ptr<DemoBackend> backend_;
  static std::unique_ptr<ProxyProcess> proxy_;
};
std::unique_ptr<DemoBackend> HostileShapes::backend_;
std::unique_ptr<ProxyProcess> HostileShapes::proxy_;

TEST_P(HostileShapes, RefusedAndClosedAndNeverServedUpstream) {
  ASSERT_TRUE(backend_->ok() && proxy_->ok());
  const Shape& shape = GetParam();
  // Reading the counter is itself a request: measure that step first.
  const auto before = backend_requests(*backend_);
  const auto step = backend_requests(*backend_) - before;
  RawResult result = raw_send(proxy_->port(), shape.bytes);
  const auto after = backend_requests(*backend_);
  const std::string status_line = "HTTP/1.1 " + std::to_string(shape.status) + " ";
  EXPECT_EQ(result.received.rfind(status_line, 0), 0u) << result.received;
  EXPECT_NE(result.received.find(std::string("x-switchyard-error: ") + shape.error + "\r\n"), std::string::npos)
      << result.received;
  EXPECT_NE(result.received.find("Connection: close\r\n"), std::string::npos) << result.received;
  EXPECT_TRUE(result.closed);
  EXPECT_EQ(after - before, 2 * step) << "the upstream served the request";
}

INSTANTIATE_TEST_SUITE_P(Proxy, HostileShapes, ::testing::ValuesIn(shapes()),
                         [](const auto& info) { return std::string(info.param.name); });

// The checks must not refuse what well-behaved clients send.
TEST(HostileControls, LegitimateShapesAreServed) {
  DemoBackend backend("app");
  ProxyProcess proxy(one_backend_config(backend));
  ASSERT_TRUE(backend.ok() && proxy.ok());
  const std::vector<std::string> requests = {
      kHead + "\r\n",
      "GET / HTTP/1.0\r\n\r\n",
      "\r\n" + kHead + "\r\n",
      "GET http://a.example/x?y=1 HTTP/1.1\r\nHost: a.example\r\n\r\n",
      "GET /q?a[]=1&b={x}|y^z%20 HTTP/1.1\r\nHost: a.example:8080\r\n\r\n",
      kHead + "X-Utf8: caf\xc3\xa9\tx\r\n\r\n",
      kPost + "Content-Length: 5\r\n\r\nhello",
      kPost + "Transfer-Encoding: Chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\n\r\n",
  };
  for (const auto& request : requests) {
    RawResult result = raw_send(proxy.port(), request + "GET /admin/stats HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(result.received.find("x-switchyard-error"), std::string::npos) << request << "\n" << result.received;
    EXPECT_EQ(result.received.rfind("HTTP/1.1 2", 0), 0u) << request << "\n" << result.received;
  }
}

// OPTIONS * passes the checks; no route matches "*", so the answer is the router's 404.
TEST(HostileControls, OptionsStarIsNotRefused) {
  DemoBackend backend("app");
  ProxyProcess proxy(one_backend_config(backend));
  ASSERT_TRUE(backend.ok() && proxy.ok());
  RawResult result = raw_send(proxy.port(), "OPTIONS * HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(result.received.rfind("HTTP/1.1 404", 0), 0u) << result.received;
  EXPECT_NE(result.received.find("x-switchyard-error: no_route"), std::string::npos) << result.received;
}

// A chunk header ended by a bare LF: Beast waits for the CRLF; when the client gives up (or the
// idle timeout ends the wait) the incomplete request is answered 400 and never completes upstream.
TEST(HostileControls, ChunkWithBareLfNeverCompletes) {
  DemoBackend backend("app");
  ProxyProcess proxy(one_backend_config(backend));
  ASSERT_TRUE(backend.ok() && proxy.ok());
  const auto before = backend_requests(backend);
  int fd = connect_loopback(proxy.port());
  ASSERT_GE(fd, 0);
  const std::string bytes = kPost + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n";
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  ::shutdown(fd, SHUT_WR);
  RawResult result = read_until_close(fd, std::chrono::seconds(5));
  ::close(fd);
  EXPECT_EQ(result.received.rfind("HTTP/1.1 400", 0), 0u) << result.received;
  EXPECT_TRUE(result.closed);
  EXPECT_EQ(backend_requests(backend) - before, 1) << "only the first counter read";
}

}  // namespace
}  // namespace switchyard::test
