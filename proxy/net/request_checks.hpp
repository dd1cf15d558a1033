#pragma once
// What the proxy refuses to forward from a client (docs/hostile-input.md). Two passes, both pure
// and allocation-free so that the proxy and the fuzz target (fuzz/request_head_fuzz.cpp) run the
// very same code:
//  - HeadScanner looks at the raw bytes of a request head before Beast parses it: line endings,
//    control characters, obs-fold, whitespace before a colon, and the size limits (414/431).
//    Beast accepts obs-fold silently and its parsed header can no longer show it.
//  - check_request_head() looks at the parsed head: method, target form, version, Host, and the
//    framing headers (Content-Length / Transfer-Encoding) that request smuggling plays with.
// Any thread; a HeadScanner belongs to the connection that reads the head.

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <string_view>

#include "config/proxy_config.hpp"

namespace switchyard::proxy::net {

using HeadParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

// The proxy's answer to a refused request: status, x-switchyard-error name and body text.
// status 0 means accepted. The connection is always closed after a refusal.
struct Verdict {
  unsigned status = 0;
  std::string_view name;
  std::string_view text;
  bool accepted() const { return status == 0; }
};

inline constexpr Verdict kAccepted{};

// Feeds a request head's raw bytes, as they arrive; never copies them.
class HeadScanner {
 public:
  enum class State { more, done, rejected };

  explicit HeadScanner(const config::LimitsConfig& limits) : limits_(limits) {}

  // `available` always starts at the first byte of the head (the connection's read buffer);
  // bytes already scanned are not looked at again.
  State scan(std::string_view available);
  State state() const { return state_; }
  // Empty lines before the request line (RFC 9112 §2.2 says to ignore them): skip these bytes.
  std::size_t leading_bytes() const { return leading_; }
  // When done: bytes of the head after leading_bytes(), final empty line included.
  std::size_t head_bytes() const { return end_ - leading_; }
  const Verdict& verdict() const { return verdict_; }

 private:
  State reject(const Verdict& verdict);
  State end_line();

  config::LimitsConfig limits_;  // a copy: a few integers, and no lifetime to get wrong
  State state_ = State::more;
  Verdict verdict_;
  std::size_t pos_ = 0;         // next byte to scan
  std::size_t leading_ = 0;
  std::size_t end_ = 0;
  std::size_t line_start_ = 0;
  std::size_t lines_ = 0;       // complete lines of the head so far (request line included)
  bool in_head_ = false;        // past the leading empty lines
  bool cr_ = false;             // the previous byte was CR
  bool colon_ = false;          // the current header line has had its ':'
};

// Applies the proxy's limits to a fresh parser (the same for the proxy and the fuzz target).
void configure_request_parser(HeadParser& parser, const config::LimitsConfig& limits);

// Checks a head Beast has parsed; kAccepted or the refusal.
Verdict check_request_head(const boost::beast::http::request_header<>& head, const config::LimitsConfig& limits);

// The path-and-query of an accepted target: itself for origin-form, the part after the
// authority for absolute-form ("/" when empty), "" for "*".
std::string_view origin_form_of(std::string_view target);

// The refusal for an error Beast reported while parsing a head or a body (bad chunk, limits).
Verdict verdict_of_parse_error(const boost::system::error_code& ec);

}  // namespace switchyard::proxy::net
