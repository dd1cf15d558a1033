// libFuzzer target: arbitrary bytes as a client's request, through the proxy's own head path
// (HeadScanner, the same Beast parser configuration, check_request_head) and then its body.
// The first input byte picks where the rest is split into two reads.
// Invariants: scanning in two reads decides exactly as scanning in one; a head that passed the
// scanner is within the limits; an accepted head never has both Content-Length and
// Transfer-Encoding, never two Content-Lengths or Hosts, and is HTTP/1.0 or 1.1.

#include <boost/asio/buffer.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "proxy/net/request_checks.hpp"

namespace {

namespace http = boost::beast::http;
using switchyard::config::LimitsConfig;
using switchyard::proxy::net::HeadParser;
using switchyard::proxy::net::HeadScanner;

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

LimitsConfig fuzz_limits() {
  LimitsConfig limits;  // the defaults, but small enough that the fuzzer reaches them
  limits.max_header_bytes = 4096;
  limits.max_headers = 20;
  limits.max_request_line_bytes = 512;
  limits.max_body_bytes = 1024;
  return limits;
}

void check_accepted(const http::request_header<>& head) {
  std::size_t lengths = 0, encodings = 0, hosts = 0;
  for (const auto& field : head) {
    lengths += field.name() == http::field::content_length;
    encodings += field.name() == http::field::transfer_encoding;
    hosts += field.name() == http::field::host;
  }
  require(!(lengths && encodings), "accepted a head with Content-Length and Transfer-Encoding");
  require(lengths <= 1, "accepted two Content-Lengths");
  require(encodings <= 1, "accepted two Transfer-Encodings");
  require(hosts <= 1, "accepted two Hosts");
  require(head.version() == 10 || head.version() == 11, "accepted a version other than 1.0/1.1");
  require(head.version() == 11 || hosts == 1 || hosts == 0, "host count");
  require(head.version() == 10 || hosts == 1, "accepted HTTP/1.1 without Host");
}

// Streams the body the way relay_body does: a small buffer, read after read.
void read_body(HeadParser& parser, std::string_view rest) {
  char sink[64];
  std::size_t offset = 0;
  for (int guard = 0; guard < 100000 && !parser.is_done(); ++guard) {
    parser.get().body().data = sink;
    parser.get().body().size = sizeof sink;
    boost::system::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(rest.data() + offset, rest.size() - offset), ec);
    offset += used;
    if (ec == http::error::need_buffer) continue;
    if (ec) {
      // Every body error must map to a refusal with a status.
      require(switchyard::proxy::net::verdict_of_parse_error(ec).status >= 400, "body error without a status");
      return;
    }
    if (used == 0) return;  // need more input
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view all(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t split = all.empty() ? 0 : data[0] % (all.size() + 1);
  const LimitsConfig limits = fuzz_limits();

  HeadScanner whole(limits);
  const auto whole_state = whole.scan(all);
  HeadScanner parts(limits);
  auto state = parts.scan(all.substr(0, split));
  if (state == HeadScanner::State::more) state = parts.scan(all);
  require(state == whole_state, "split reads decided differently");
  require(parts.verdict().name == whole.verdict().name, "split reads refused differently");
  if (state != HeadScanner::State::done) return 0;
  require(parts.head_bytes() == whole.head_bytes(), "split reads found a different head end");
  require(parts.head_bytes() <= limits.max_header_bytes, "head over max_header_bytes passed");

  HeadParser parser;
  switchyard::proxy::net::configure_request_parser(parser, limits);
  const std::string_view head = all.substr(parts.leading_bytes(), parts.head_bytes());
  boost::system::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(head.data(), head.size()), ec);
  if (ec || !parser.is_header_done()) return 0;
  require(used == head.size(), "parser stopped inside the head");
  if (!switchyard::proxy::net::check_request_head(parser.get(), limits).accepted()) return 0;
  check_accepted(parser.get());
  (void)switchyard::proxy::net::origin_form_of(parser.get().target());
  read_body(parser, all.substr(parts.leading_bytes() + parts.head_bytes()));
  return 0;
}
