// The experiment behind docs/hostile-input.md: what Beast 1.81's request_parser does by itself
// with each hostile shape, before any check of ours. "accepts" rows are the gaps
// request_checks.cpp closes; if a Boost upgrade changes a row, this test says so.

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <string>

#include "proxy/net/request_checks.hpp"

namespace switchyard::proxy::net {
namespace {

namespace http = boost::beast::http;

// Feeds a whole head (and body) to a fresh parser; "" when Beast accepts it, else its error.
std::string beast_verdict(const std::string& bytes) {
  HeadParser parser;
  parser.body_limit(boost::none);
  parser.eager(true);
  static char sink[1 << 16];
  boost::system::error_code ec;
  std::size_t offset = 0;
  while (offset < bytes.size() && !ec) {
    if (parser.is_header_done()) {
      parser.get().body().data = sink;
      parser.get().body().size = sizeof sink;
    }
    const std::size_t used = parser.put(boost::asio::buffer(bytes.data() + offset, bytes.size() - offset), ec);
    if (ec == http::error::need_buffer) ec = {};
    if (used == 0 && !ec) break;
    offset += used;
  }
  if (ec) return ec.message();
  return parser.is_header_done() ? "" : "incomplete";
}

const std::string kPost = "POST / HTTP/1.1\r\nHost: a\r\n";
const std::string kGet = "GET / HTTP/1.1\r\nHost: a\r\n";

TEST(BeastExperiment, FramingShapes) {
  EXPECT_NE(beast_verdict(kPost + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), "");
  EXPECT_NE(beast_verdict(kPost + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"), "");
  EXPECT_EQ(beast_verdict(kPost + "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello"), "");  // gap
  EXPECT_NE(beast_verdict(kPost + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"), "");
  EXPECT_EQ(beast_verdict(kPost + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"), "");  // gap
  EXPECT_EQ(beast_verdict(kPost + "Content-Length: 5, 5\r\n\r\nhello"), "");                    // gap
  EXPECT_NE(beast_verdict(kPost + "Content-Length: -1\r\n\r\n"), "");
  EXPECT_NE(beast_verdict(kPost + "Content-Length: 99999999999999999999999\r\n\r\n"), "");
  // Not chunked as the last coding: Beast reads no body, so the body becomes the next request.
  EXPECT_EQ(beast_verdict(kPost + "Transfer-Encoding: chunked, identity\r\n\r\n"), "");  // gap
  EXPECT_EQ(beast_verdict(kPost + "Transfer-Encoding: xchunked\r\n\r\n"), "");           // gap
  EXPECT_EQ(beast_verdict(kPost + "Transfer-Encoding: chunked, chunked\r\n\r\n"), "");   // gap
  EXPECT_NE(beast_verdict(kPost + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), "");
  EXPECT_EQ(beast_verdict(kPost + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), "");  // gap
  EXPECT_EQ(beast_verdict("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), "");  // gap
}

TEST(BeastExperiment, ChunkShapes) {
  const std::string te = kPost + "Transfer-Encoding: chunked\r\n\r\n";
  EXPECT_NE(beast_verdict(te + "fffffffffffffffffff\r\nab\r\n0\r\n\r\n"), "");
  EXPECT_NE(beast_verdict(te + "-5\r\nhello\r\n0\r\n\r\n"), "");
  EXPECT_NE(beast_verdict(te + "5;\x01=\"\r\nhello\r\n0\r\n\r\n"), "");
  EXPECT_NE(beast_verdict(te + "5\r\nhelloX0\r\n\r\n"), "");
  EXPECT_EQ(beast_verdict(te + "5\nhello\n0\n\n"), "need more");  // waits for a CRLF: never completes
}

TEST(BeastExperiment, LineAndCharacterShapes) {
  using namespace std::string_literals;
  EXPECT_EQ(beast_verdict(kGet + "X-A: 1\r\n continued\r\n\r\n"), "");  // gap: obs-fold joined silently
  EXPECT_NE(beast_verdict(kGet + "X-A: 1\rX-B: 2\r\n\r\n"), "");
  EXPECT_NE(beast_verdict("GET / HTTP/1.1\nHost: a\n\n"), "");
  EXPECT_NE(beast_verdict(kGet + "X-A: a\0b\r\n\r\n"s), "");
  EXPECT_NE(beast_verdict("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), "");
  EXPECT_NE(beast_verdict("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n"), "");
}

TEST(BeastExperiment, TargetHostAndVersionShapes) {
  EXPECT_EQ(beast_verdict("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n"), "");        // gap
  EXPECT_EQ(beast_verdict("GET a/b HTTP/1.1\r\nHost: a\r\n\r\n"), "");            // gap
  EXPECT_EQ(beast_verdict("GET * HTTP/1.1\r\nHost: a\r\n\r\n"), "");              // gap
  EXPECT_EQ(beast_verdict("GET / HTTP/1.1\r\n\r\n"), "");                         // gap: no Host
  EXPECT_EQ(beast_verdict("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), "");  // gap
  EXPECT_EQ(beast_verdict("GET http://b/ HTTP/1.1\r\nHost: a\r\n\r\n"), "");     // gap
  EXPECT_NE(beast_verdict("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), "");
  EXPECT_NE(beast_verdict("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), "");  // our version check is a second line
  EXPECT_NE(beast_verdict("GET / http/1.1\r\nHost: a\r\n\r\n"), "");
}

}  // namespace
}  // namespace switchyard::proxy::net
