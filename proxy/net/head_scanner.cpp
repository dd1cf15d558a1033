// The raw-byte pass over a request head (see request_checks.hpp).
#include "proxy/net/request_checks.hpp"

#include <algorithm>

namespace switchyard::proxy::net {
namespace {

constexpr Verdict kBareCr{400, "bare_cr", "switchyard: CR not followed by LF in the request head"};
constexpr Verdict kBareLf{400, "bare_lf", "switchyard: LF without CR in the request head"};
constexpr Verdict kControl{400, "control_character", "switchyard: control character in the request head"};
constexpr Verdict kObsFold{400, "obs_fold", "switchyard: folded header line (obs-fold)"};
constexpr Verdict kSpaceBeforeColon{400, "space_before_colon",
                                    "switchyard: whitespace between header name and colon"};
constexpr Verdict kNoColon{400, "bad_header_line", "switchyard: header line without a colon"};
constexpr Verdict kLeadingLines{400, "bad_request_line", "switchyard: too many empty lines before the request"};
constexpr Verdict kLineTooLong{414, "request_line_too_long", "switchyard: request line too long"};
constexpr Verdict kHeadTooLarge{431, "header_too_large", "switchyard: request header too large"};
constexpr Verdict kTooManyHeaders{431, "too_many_headers", "switchyard: too many header fields"};

// RFC 9112 asks to ignore "at least one" empty line before a request; a few are plenty.
constexpr std::size_t kMaxLeadingEmptyLines = 4;

constexpr bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

// Bytes that end a run of ordinary bytes in the middle of a line, where the scanner has
// something to decide; every other byte only counts towards the size limits. One table per
// place: the request line, a field name (before its colon), a field value.
enum class Place { request_line, field_name, field_value };

constexpr bool stops(Place place, unsigned char c) {
  if (c == '\r' || c == '\n' || is_control(c)) return true;
  switch (place) {
    case Place::request_line: return c == '\t';
    case Place::field_name: return c == ':' || c == ' ' || c == '\t';
    case Place::field_value: return false;
  }
  return true;
}

struct StopTable {
  bool stop[256];
};

constexpr StopTable make_table(Place place) {
  StopTable table{};
  for (unsigned c = 0; c < 256; ++c) table.stop[c] = stops(place, static_cast<unsigned char>(c));
  return table;
}

constexpr StopTable kStops[] = {make_table(Place::request_line), make_table(Place::field_name),
                                make_table(Place::field_value)};

}  // namespace

HeadScanner::State HeadScanner::reject(const Verdict& verdict) {
  verdict_ = verdict;
  state_ = State::rejected;
  return state_;
}

// A CRLF just ended the line [line_start_, pos_ - 2).
HeadScanner::State HeadScanner::end_line() {
  const std::size_t length = pos_ - 2 - line_start_;
  if (!in_head_) {
    if (length == 0) {
      if (pos_ / 2 > kMaxLeadingEmptyLines) return reject(kLeadingLines);
      leading_ = pos_;
      line_start_ = pos_;
      return state_;
    }
    in_head_ = true;
  }
  if (length == 0 && lines_ > 0) {
    end_ = pos_;
    state_ = State::done;
    return state_;
  }
  if (lines_ > 0 && !colon_) return reject(kNoColon);
  ++lines_;
  if (lines_ - 1 > limits_.max_headers) return reject(kTooManyHeaders);
  line_start_ = pos_;
  colon_ = false;
  return state_;
}

HeadScanner::State HeadScanner::scan(std::string_view available) {
  while (state_ == State::more && pos_ < available.size()) {
    if (in_head_ && !cr_ && pos_ > line_start_) {
      // Mid-line: skip the run of ordinary bytes at once, up to the byte that breaks a limit.
      std::size_t end = std::min(available.size(), leading_ + limits_.max_header_bytes);
      const Place place = lines_ == 0 ? Place::request_line : colon_ ? Place::field_value : Place::field_name;
      if (place == Place::request_line) end = std::min(end, line_start_ + limits_.max_request_line_bytes);
      const bool* stop = kStops[static_cast<int>(place)].stop;
      const auto* bytes = reinterpret_cast<const unsigned char*>(available.data());
      while (pos_ < end && !stop[bytes[pos_]]) ++pos_;
      if (pos_ == available.size()) break;
    }
    const auto c = static_cast<unsigned char>(available[pos_++]);
    if (pos_ - leading_ > limits_.max_header_bytes) return reject(kHeadTooLarge);
    if (cr_) {
      cr_ = false;
      if (c != '\n') return reject(kBareCr);
      end_line();
      continue;
    }
    if (c == '\r') {
      cr_ = true;
      continue;
    }
    if (c == '\n') return reject(kBareLf);
    const bool at_line_start = pos_ - 1 == line_start_;
    if (!in_head_ && at_line_start) in_head_ = true;  // the request line begins
    if (lines_ == 0) {
      // The request line: SP separates its three parts; no other control or blank is allowed.
      if (pos_ - line_start_ > limits_.max_request_line_bytes) return reject(kLineTooLong);
      if (c == '\t' || is_control(c)) return reject(kControl);
      continue;
    }
    if (is_control(c)) return reject(kControl);
    if (at_line_start && (c == ' ' || c == '\t')) return reject(kObsFold);
    if (!colon_) {
      if (c == ':') colon_ = true;
      else if (c == ' ' || c == '\t') return reject(kSpaceBeforeColon);
    }
  }
  return state_;
}

}  // namespace switchyard::proxy::net
