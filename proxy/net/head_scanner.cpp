// The raw-byte pass over a request head (see request_checks.hpp).
#include "proxy/net/request_checks.hpp"

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

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

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
