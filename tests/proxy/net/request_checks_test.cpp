// Unit tests of the two passes of request_checks.hpp, without sockets.

#include "proxy/net/request_checks.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <string>

namespace switchyard::proxy::net {
namespace {

config::LimitsConfig limits() { return config::LimitsConfig{}; }

// Scans `bytes` in one go, or byte by byte; returns the verdict name ("" accepted, "more").
std::string scan(const std::string& bytes, bool byte_by_byte = false, config::LimitsConfig l = limits()) {
  HeadScanner scanner(l);
  HeadScanner::State state = HeadScanner::State::more;
  if (byte_by_byte) {
    for (std::size_t i = 1; i <= bytes.size() && state == HeadScanner::State::more; ++i)
      state = scanner.scan(std::string_view(bytes).substr(0, i));
  } else {
    state = scanner.scan(bytes);
  }
  if (state == HeadScanner::State::more) return "more";
  if (state == HeadScanner::State::done) return "";
  return std::string(scanner.verdict().name);
}

std::string check(const std::string& head, config::LimitsConfig l = limits()) {
  HeadScanner scanner(l);
  if (scanner.scan(head) != HeadScanner::State::done) return "scanner";
  HeadParser parser;
  configure_request_parser(parser, l);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(head.data() + scanner.leading_bytes(), scanner.head_bytes()), ec);
  if (ec) return std::string(verdict_of_parse_error(ec).name);
  return std::string(check_request_head(parser.get(), l).name);
}

TEST(HeadScanner, FindsTheEndOfAHeadInOneGoOrByteByByte) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\nNEXT";
  EXPECT_EQ(scan(head), "");
  EXPECT_EQ(scan(head, true), "");
  HeadScanner scanner(limits());
  ASSERT_EQ(scanner.scan(head), HeadScanner::State::done);
  EXPECT_EQ(scanner.head_bytes(), head.size() - 4);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: a\r\n"), "more");
}

TEST(HeadScanner, SkipsAFewLeadingEmptyLines) {
  HeadScanner scanner(limits());
  ASSERT_EQ(scanner.scan("\r\n\r\nGET / HTTP/1.1\r\n\r\n"), HeadScanner::State::done);
  EXPECT_EQ(scanner.leading_bytes(), 4u);
  EXPECT_EQ(scan("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n"), "bad_request_line");
}

TEST(HeadScanner, RefusesBrokenLinesAndCharacters) {
  using namespace std::string_literals;
  for (bool slow : {false, true}) {
    EXPECT_EQ(scan("GET / HTTP/1.1\r\nA: 1\r\n b\r\n\r\n", slow), "obs_fold");
    EXPECT_EQ(scan("GET / HTTP/1.1\r\nA: 1\rB: 2\r\n\r\n", slow), "bare_cr");
    EXPECT_EQ(scan("GET / HTTP/1.1\nA: 1\n\n", slow), "bare_lf");
    EXPECT_EQ(scan("GET / HTTP/1.1\r\nA: \0\r\n\r\n"s, slow), "control_character");
    EXPECT_EQ(scan("GET / HTTP/1.1\r\nA : 1\r\n\r\n", slow), "space_before_colon");
    EXPECT_EQ(scan("GET\t/ HTTP/1.1\r\n\r\n", slow), "control_character");
  }
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nA: tab\there \xc3\xa9\r\n\r\n"), "");
}

TEST(HeadScanner, EnforcesTheLimits) {
  config::LimitsConfig l;
  l.max_header_bytes = 64;
  l.max_headers = 2;
  l.max_request_line_bytes = 20;
  EXPECT_EQ(scan("GET /aaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n\r\n", false, l), "request_line_too_long");
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", false, l), "too_many_headers");
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", false, l), "");
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nA: " + std::string(60, 'x') + "\r\n\r\n", false, l), "header_too_large");
}

TEST(RequestChecks, FramingHostTargetVersion) {
  EXPECT_EQ(check("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), "");
  EXPECT_EQ(check("GET / HTTP/1.0\r\n\r\n"), "");
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"),
            "duplicate_content_length");
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n"),
            "content_length_with_transfer_encoding");
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  CHUNKED \r\n\r\n"), "");
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n"),
            "bad_transfer_encoding");
  EXPECT_EQ(check("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), "bad_transfer_encoding");
  EXPECT_EQ(check("GET / HTTP/1.1\r\n\r\n"), "missing_host");
  EXPECT_EQ(check("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n"), "multiple_host");
  EXPECT_EQ(check("GET HTTP://A/x HTTP/1.1\r\nHost: a\r\n\r\n"), "");
  EXPECT_EQ(check("GET http://b/x HTTP/1.1\r\nHost: a\r\n\r\n"), "host_mismatch");
  EXPECT_EQ(check("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"), "");
  EXPECT_EQ(check("GET * HTTP/1.1\r\nHost: a\r\n\r\n"), "bad_target");
  EXPECT_EQ(check("GET /%41%4 HTTP/1.1\r\nHost: a\r\n\r\n"), "bad_target");
  EXPECT_EQ(check("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), "bad_version");
  EXPECT_EQ(check("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n"), "connect_not_supported");
}

TEST(RequestChecks, MaxBodyBytesRefusesALargerContentLength) {
  config::LimitsConfig l;
  l.max_body_bytes = 10;
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n", l), "");
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", l), "body_too_large");
}

TEST(RequestChecks, OriginFormOfATarget) {
  EXPECT_EQ(origin_form_of("/a?b"), "/a?b");
  EXPECT_EQ(origin_form_of("http://h:1/a?b"), "/a?b");
  EXPECT_EQ(origin_form_of("http://h"), "/");
  EXPECT_EQ(origin_form_of("http://h?q"), "/");
  EXPECT_EQ(origin_form_of("*"), "");
}

}  // namespace
}  // namespace switchyard::proxy::net
