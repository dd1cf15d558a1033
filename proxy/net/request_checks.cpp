// The parsed-head pass (see request_checks.hpp): framing, Host, target form, version.
#include "proxy/net/request_checks.hpp"
#include "common/ascii_case.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/optional.hpp>

namespace switchyard::proxy::net {
namespace http = boost::beast::http;
using switchyard::ascii_iequals;

namespace {

constexpr Verdict kClAndTe{400, "content_length_with_transfer_encoding",
                           "switchyard: both Content-Length and Transfer-Encoding"};
constexpr Verdict kDuplicateCl{400, "duplicate_content_length", "switchyard: more than one Content-Length"};
constexpr Verdict kBadCl{400, "bad_content_length", "switchyard: invalid Content-Length"};
constexpr Verdict kBadTe{400, "bad_transfer_encoding",
                         "switchyard: Transfer-Encoding must be exactly 'chunked' (HTTP/1.1)"};
constexpr Verdict kBadVersion{400, "bad_version", "switchyard: only HTTP/1.0 and HTTP/1.1 are served"};
constexpr Verdict kBadMethod{400, "bad_method", "switchyard: invalid method"};
constexpr Verdict kBadTarget{400, "bad_target", "switchyard: invalid request target"};
constexpr Verdict kConnect{405, "connect_not_supported", "switchyard: CONNECT is not supported"};
constexpr Verdict kMissingHost{400, "missing_host", "switchyard: HTTP/1.1 request without Host"};
constexpr Verdict kMultipleHost{400, "multiple_host", "switchyard: more than one Host"};
constexpr Verdict kBadHost{400, "bad_host", "switchyard: invalid Host"};
constexpr Verdict kHostMismatch{400, "host_mismatch", "switchyard: Host differs from the request target's authority"};
constexpr Verdict kBodyTooLarge{413, "body_too_large", "switchyard: request body too large"};

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Path and query characters: RFC 3986 pchar / "/" / "?", plus the brackets, braces, pipe, caret
// and backtick that real clients leave unencoded in queries. Never a blank, a control, '#'
// (a fragment is not sent), non-ASCII, '"', '<', '>' or '\'. Percent-escapes must be complete.
bool valid_path_and_query(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c >= 0x7f || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\') return false;
    if (c == '%') {
      if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) return false;
      i += 2;
    }
  }
  return true;
}

constexpr bool authority_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == ':' || c == '[' || c == ']' || c == '%' || c == '!' || c == '$' ||
         c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=';
}

struct AuthorityTable {
  bool ok[256];
};

constexpr AuthorityTable make_authority_table() {
  AuthorityTable table{};
  for (unsigned c = 0; c < 256; ++c) table.ok[c] = authority_char(static_cast<unsigned char>(c));
  return table;
}

constexpr AuthorityTable kAuthority = make_authority_table();  // checked for every request's Host

// host [":" port] with a reg-name / IPv4 / bracketed IPv6 host; no userinfo.
bool valid_authority(std::string_view text) {
  if (text.empty()) return false;
  for (const char ch : text) {
    if (!kAuthority.ok[static_cast<unsigned char>(ch)]) return false;
  }
  return true;
}

// "http://authority/path?q" or "https://..."; returns the authority, or nothing when invalid.
boost::optional<std::string_view> absolute_authority(std::string_view target) {
  std::size_t scheme = 0;
  if (target.size() > 7 && ascii_iequals(target.substr(0, 7), "http://")) scheme = 7;
  else if (target.size() > 8 && ascii_iequals(target.substr(0, 8), "https://")) scheme = 8;
  else return boost::none;
  const std::string_view rest = target.substr(scheme);
  const std::size_t end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, end);
  if (!valid_authority(authority)) return boost::none;
  if (end != std::string_view::npos && !valid_path_and_query(rest.substr(end))) return boost::none;
  return authority;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Verdict check_framing(const http::request_header<>& head, const config::LimitsConfig& limits) {
  std::size_t lengths = 0;
  std::size_t encodings = 0;
  std::string_view length_value;
  std::string_view encoding_value;
  for (const auto& field : head) {
    if (field.name() == http::field::content_length) {
      ++lengths;
      length_value = field.value();
    } else if (field.name() == http::field::transfer_encoding) {
      ++encodings;
      encoding_value = field.value();
    }
  }
  if (lengths && encodings) return kClAndTe;
  // Identical duplicates (and Beast's "5, 5" list form) are refused too: a peer that sends two
  // lengths is confused or probing, and nothing legitimate needs it.
  if (lengths > 1 || length_value.find(',') != std::string_view::npos) return kDuplicateCl;
  if (lengths) {
    std::uint64_t value = 0;
    const std::string_view digits = trim(length_value);
    if (digits.empty() || digits.size() > 19) return kBadCl;
    for (const char c : digits) {
      if (c < '0' || c > '9') return kBadCl;
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (limits.max_body_bytes && value > limits.max_body_bytes) return kBodyTooLarge;
  }
  if (encodings) {
    if (encodings > 1 || head.version() != 11 || !ascii_iequals(trim(encoding_value), "chunked")) return kBadTe;
  }
  return kAccepted;
}

Verdict check_host(const http::request_header<>& head, std::string_view target) {
  std::size_t hosts = 0;
  std::string_view host;
  for (const auto& field : head) {
    if (field.name() != http::field::host) continue;
    ++hosts;
    host = field.value();
  }
  if (hosts > 1) return kMultipleHost;
  if (hosts == 0) return head.version() == 11 ? kMissingHost : kAccepted;
  if (!host.empty() && !valid_authority(host)) return kBadHost;
  if (target.empty() || target.front() == '/' || target == "*") return kAccepted;
  auto authority = absolute_authority(target);
  if (authority && !ascii_iequals(*authority, host)) return kHostMismatch;
  return kAccepted;
}

Verdict check_target(const http::request_header<>& head) {
  const std::string_view target = head.target();
  if (head.method() == http::verb::connect) return kConnect;
  if (target.empty()) return kBadTarget;
  if (target == "*") return head.method() == http::verb::options ? kAccepted : kBadTarget;
  if (target.front() == '/') return valid_path_and_query(target) ? kAccepted : kBadTarget;
  return absolute_authority(target) ? kAccepted : kBadTarget;
}

bool valid_method(std::string_view method) {
  if (method.empty()) return false;
  for (const char ch : method) {
    const auto c = static_cast<unsigned char>(ch);
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void configure_request_parser(HeadParser& parser, const config::LimitsConfig& limits) {
  parser.header_limit(limits.max_header_bytes);
  if (limits.max_body_bytes) parser.body_limit(limits.max_body_bytes);
  else parser.body_limit(boost::none);
}

Verdict check_request_head(const http::request_header<>& head, const config::LimitsConfig& limits) {
  if (head.version() != 10 && head.version() != 11) return kBadVersion;
  if (!valid_method(head.method_string())) return kBadMethod;
  if (auto verdict = check_target(head); !verdict.accepted()) return verdict;
  if (auto verdict = check_host(head, head.target()); !verdict.accepted()) return verdict;
  return check_framing(head, limits);
}

std::string_view origin_form_of(std::string_view target) {
  if (target.empty() || target.front() == '/') return target;
  const std::size_t scheme = target.find("://");
  if (scheme == std::string_view::npos) return {};
  const std::size_t path = target.find_first_of("/?", scheme + 3);
  if (path == std::string_view::npos) return "/";
  return target[path] == '/' ? target.substr(path) : std::string_view("/");
}

Verdict verdict_of_parse_error(const boost::system::error_code& ec) {
  using http::error;
  if (ec == error::header_limit) return Verdict{431, "header_too_large", "switchyard: request header too large"};
  if (ec == error::body_limit) return kBodyTooLarge;
  if (ec == error::bad_method) return kBadMethod;
  if (ec == error::bad_target) return kBadTarget;
  if (ec == error::bad_version) return kBadVersion;
  if (ec == error::bad_content_length) return kBadCl;
  if (ec == error::multiple_content_length) return kDuplicateCl;
  if (ec == error::bad_transfer_encoding) return kBadTe;
  if (ec == error::bad_chunk || ec == error::bad_chunk_extension)
    return Verdict{400, "bad_chunk", "switchyard: invalid chunked encoding in the request body"};
  if (ec == error::bad_field) return Verdict{400, "bad_header_name", "switchyard: invalid header name"};
  if (ec == error::bad_value) return Verdict{400, "bad_header_value", "switchyard: invalid header value"};
  if (ec == error::bad_line_ending) return Verdict{400, "bad_line_ending", "switchyard: invalid line ending"};
  return Verdict{400, "bad_request", "switchyard: malformed request"};
}

}  // namespace switchyard::proxy::net
