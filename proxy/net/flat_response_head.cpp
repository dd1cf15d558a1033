#include "proxy/net/flat_response_head.hpp"

#include "common/ascii_case.hpp"
#include "proxy/net/forwarding_headers.hpp"

namespace switchyard::proxy::net {
namespace {

// RFC 9110 §5.6.2 tchar.
constexpr bool tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~': return true;
    default: return false;
  }
}

// Field values and reason phrases: HTAB, SP, VCHAR, obs-text.
constexpr bool text(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

// Lookup tables: these run over every byte of every response head.
struct ByteClass {
  bool tchar[256];
  bool text[256];
};

constexpr ByteClass make_classes() {
  ByteClass classes{};
  for (unsigned c = 0; c < 256; ++c) {
    classes.tchar[c] = tchar(static_cast<unsigned char>(c));
    classes.text[c] = text(static_cast<unsigned char>(c));
  }
  return classes;
}

constexpr ByteClass kClasses = make_classes();

bool all_of_class(std::string_view bytes, const bool (&table)[256]) {
  for (unsigned char c : bytes)
    if (!table[c]) return false;
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

FlatResponseHead::Result FlatResponseHead::parse(std::string_view bytes) {
  count_ = 0;
  has_content_length_ = false;
  connection_ = {};
  std::size_t line_start = 0;
  bool first = true;
  for (;;) {
    const std::size_t lf = bytes.find('\n', line_start);
    if (lf == std::string_view::npos) return bytes.size() > kMaxHeadBytes ? Result::unusual : Result::incomplete;
    if (lf == line_start || bytes[lf - 1] != '\r') return Result::unusual;  // bare LF
    const std::string_view line = bytes.substr(line_start, lf - 1 - line_start);
    line_start = lf + 1;
    if (line_start > kMaxHeadBytes) return Result::unusual;
    if (first) {
      if (parse_status_line(line) != Result::complete) return Result::unusual;
      first = false;
      continue;
    }
    if (line.empty()) {
      head_bytes_ = line_start;
      return Result::complete;
    }
    if (add_field(line) != Result::complete) return Result::unusual;
  }
}

FlatResponseHead::Result FlatResponseHead::parse_status_line(std::string_view line) {
  // "HTTP/1.x NNN reason" — a reason is required here (Beast decides the rare empty one).
  if (line.size() < 13 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ' || line[12] != ' ')
    return Result::unusual;
  if (line[7] != '0' && line[7] != '1') return Result::unusual;
  version_ = line[7] == '1' ? 11 : 10;
  unsigned status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return Result::unusual;
    status = status * 10 + static_cast<unsigned>(line[i] - '0');
  }
  if (status < 100) return Result::unusual;
  reason_ = line.substr(13);
  if (!all_of_class(reason_, kClasses.text)) return Result::unusual;
  status_ = status;
  return Result::complete;
}

FlatResponseHead::Result FlatResponseHead::add_field(std::string_view line) {
  if (count_ == kMaxFields) return Result::unusual;
  const auto colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return Result::unusual;  // also obs-fold lines
  const std::string_view name = line.substr(0, colon);
  if (!all_of_class(name, kClasses.tchar)) return Result::unusual;
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!all_of_class(value, kClasses.text)) return Result::unusual;
  // Only three names matter here; their lengths (17, 14, 10) tell most fields apart at once.
  if (name.size() == 17 && ascii_iequals(name, "transfer-encoding")) return Result::unusual;
  if (name.size() == 14 && ascii_iequals(name, "content-length")) {
    if (has_content_length_ || value.empty() || value.size() > 18) return Result::unusual;
    std::uint64_t length = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return Result::unusual;
      length = length * 10 + static_cast<std::uint64_t>(c - '0');
    }
    content_length_ = length;
    has_content_length_ = true;
  } else if (name.size() == 10 && ascii_iequals(name, "connection")) {
    if (!connection_.empty()) return Result::unusual;
    connection_ = value;
  }
  fields_[count_++] = Field{name, value};
  return Result::complete;
}

bool FlatResponseHead::keep_alive() const {
  return version_ == 11 ? !has_token(connection_, "close") : has_token(connection_, "keep-alive");
}

bool FlatResponseHead::is_hop_by_hop(std::string_view name) const {
  static constexpr std::string_view kFixed[] = {"connection", "keep-alive", "proxy-connection",
                                                "te",         "trailer",    "upgrade"};
  for (auto fixed : kFixed)
    if (ascii_iequals(name, fixed)) return true;
  if (connection_.empty() || ascii_iequals(name, "content-length")) return false;
  return has_token(connection_, name);
}

}  // namespace switchyard::proxy::net
