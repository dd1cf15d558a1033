// The fast path's response-head parser and head writer: what they accept, and that everything
// else is left to Beast (unusual), since the fast path must never decide an odd case itself.
#include "proxy/net/flat_response_head.hpp"

#include <gtest/gtest.h>

#include <string>

#include "proxy/net/forwarding_headers.hpp"
#include "proxy/net/head_writer.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

namespace switchyard::proxy::net {
namespace {

using Result = FlatResponseHead::Result;

Result parse(FlatResponseHead& head, std::string_view bytes) { return head.parse(bytes); }

std::string compose(const FlatResponseHead& head, std::string_view cookie, bool keep_alive) {
  char buffer[4096];
  HeadWriter out(buffer, sizeof buffer);
  write_response_head(head, cookie, keep_alive, out);
  EXPECT_TRUE(out.ok());
  return std::string(buffer, out.size());
}

TEST(FlatResponseHead, ParsesThePlainShape) {
  FlatResponseHead head;
  const std::string bytes = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
  ASSERT_EQ(parse(head, bytes), Result::complete);
  EXPECT_EQ(head.status(), 200u);
  EXPECT_EQ(head.reason(), "OK");
  EXPECT_EQ(head.version(), 11u);
  EXPECT_EQ(head.head_bytes(), bytes.size() - 5);
  ASSERT_TRUE(head.has_content_length());
  EXPECT_EQ(head.content_length(), 5u);
  EXPECT_TRUE(head.keep_alive());
  ASSERT_EQ(head.field_count(), 2u);
  EXPECT_EQ(head.field(0).name, "Content-Type");
  EXPECT_EQ(head.field(0).value, "text/plain");
}

TEST(FlatResponseHead, IncompleteUntilTheEmptyLine) {
  FlatResponseHead head;
  const std::string bytes = "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n";
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_EQ(parse(head, std::string_view(bytes).substr(0, n)), Result::incomplete) << n;
  EXPECT_EQ(parse(head, bytes), Result::complete);
  EXPECT_FALSE(head.has_content_length());
}

TEST(FlatResponseHead, LeavesEveryOddShapeToBeast) {
  const char* odd[] = {
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
      "HTTP/1.1 200 OK\nX-A: 1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n",
      "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX-A: a\x01z\r\n\r\n",
      "HTTP/1.1 200\r\n\r\n",
      "HTTP/2.0 200 OK\r\n\r\n",
      "HTTP/1.1 20 OK\r\n\r\n",
      "HTTP/1.1 099 Low\r\n\r\n",
      "ICY 200 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\n\r\n",
  };
  for (const char* bytes : odd) {
    FlatResponseHead head;
    EXPECT_EQ(parse(head, bytes), Result::unusual) << bytes;
  }
}

TEST(FlatResponseHead, TooManyFieldsOrTooLargeIsUnusual) {
  std::string many = "HTTP/1.1 200 OK\r\n";
  for (std::size_t i = 0; i <= FlatResponseHead::kMaxFields; ++i) many += "X-F: v\r\n";
  many += "\r\n";
  FlatResponseHead head;
  EXPECT_EQ(parse(head, many), Result::unusual);
  std::string large = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(FlatResponseHead::kMaxHeadBytes, 'a');
  EXPECT_EQ(parse(head, large), Result::unusual);
}

TEST(FlatResponseHead, ConnectionSemanticsFollowTheVersion) {
  FlatResponseHead head;
  ASSERT_EQ(parse(head, "HTTP/1.1 200 OK\r\nConnection: Close\r\n\r\n"), Result::complete);
  EXPECT_FALSE(head.keep_alive());
  ASSERT_EQ(parse(head, "HTTP/1.0 200 OK\r\n\r\n"), Result::complete);
  EXPECT_FALSE(head.keep_alive());
  ASSERT_EQ(parse(head, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n"), Result::complete);
  EXPECT_TRUE(head.keep_alive());
}

TEST(HeadWriter, RewritesTheResponseForTheClient) {
  FlatResponseHead head;
  ASSERT_EQ(parse(head, "HTTP/1.0 200 Fine\r\nConnection: keep-alive, X-Secret\r\nKeep-Alive: timeout=5\r\n"
                        "X-Secret: s\r\nContent-Length: 2\r\nUpgrade: h2c\r\nX-Kept: k\r\n\r\nok"),
            Result::complete);
  EXPECT_EQ(compose(head, "sy_cohort=abc; Path=/", true),
            "HTTP/1.1 200 Fine\r\nContent-Length: 2\r\nX-Kept: k\r\nSet-Cookie: sy_cohort=abc; Path=/\r\n\r\n");
  EXPECT_EQ(compose(head, "", false), "HTTP/1.1 200 Fine\r\nContent-Length: 2\r\nX-Kept: k\r\nConnection: close\r\n\r\n");
}

TEST(HeadWriter, ConnectionNeverRemovesTheFraming) {
  FlatResponseHead head;
  ASSERT_EQ(parse(head, "HTTP/1.1 404 Not Found\r\nConnection: Content-Length\r\nContent-Length: 0\r\n\r\n"),
            Result::complete);
  EXPECT_EQ(compose(head, "", true), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}

TEST(HeadWriter, EmptyReasonGetsTheStandardOne) {
  FlatResponseHead head;
  ASSERT_EQ(parse(head, "HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n"), Result::complete);
  EXPECT_EQ(compose(head, "", true), "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
}

TEST(HeadWriter, ReportsAHeadThatDoesNotFit) {
  char buffer[16];
  HeadWriter out(buffer, sizeof buffer);
  out.append("0123456789").append_number(123456).append("x");
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(out.size(), 16u);
  HeadWriter numbers(buffer, sizeof buffer);
  numbers.append_number(0).append(" ").append_number(4294967295u);
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(std::string(buffer, numbers.size()), "0 4294967295");
}

}  // namespace
}  // namespace switchyard::proxy::net

namespace switchyard::proxy::net {
namespace {

namespace http = boost::beast::http;

http::request<http::empty_body> parse_request(std::string_view text) {
  http::request_parser<http::empty_body> parser;
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(text.data(), text.size()), ec);
  EXPECT_FALSE(ec) << ec.message() << " in " << text;
  return parser.release();
}

std::string written(const http::request_header<>& head, const ForwardingEdits* edits) {
  char buffer[4096];
  HeadWriter out(buffer, sizeof buffer);
  write_request_head(head, edits, out);
  EXPECT_TRUE(out.ok());
  return std::string(buffer, out.size());
}

// Writing with the edits must give exactly what editing Beast's fields and then writing gives.
TEST(HeadWriter, RequestEditsWhileWritingMatchEditingTheFields) {
  const char* requests[] = {
      "GET / HTTP/1.1\r\nHost: shop\r\nAccept: */*\r\n\r\n",
      "GET /a?b=1 HTTP/1.1\r\nHost: shop\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-For: 10.0.0.2\r\n"
      "X-Forwarded-Proto: https\r\nUser-Agent: t\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: shop\r\nConnection: keep-alive, X-Secret\r\nX-Secret: s\r\nKeep-Alive: 5\r\n"
      "TE: trailers\r\nTrailer: X\r\nProxy-Connection: keep-alive\r\nX-Kept: k\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: shop\r\nConnection: X-Forwarded-For, Content-Length\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: shop\r\nConnection: x-forwarded-host\r\nConnection: close\r\n\r\n",
      "GET / HTTP/1.0\r\nAccept: */*\r\n\r\n",
      "DELETE /item/7 HTTP/1.1\r\nhost: Shop.Example\r\nx-forwarded-for: 9.9.9.9\r\n\r\n",
  };
  const ForwardingEdits edits{"127.0.0.1", "https"};
  for (const char* text : requests) {
    auto request = parse_request(text);
    const std::string while_writing = written(request, &edits);
    add_forwarded(request, edits.client_ip, edits.proto);
    remove_hop_by_hop(request);
    EXPECT_EQ(while_writing, written(request, nullptr)) << text;
  }
}

}  // namespace
}  // namespace switchyard::proxy::net
