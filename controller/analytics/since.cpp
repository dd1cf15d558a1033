// parse_since: relative durations and RFC 3339 times, with no locale or time-zone database.
#include "controller/analytics/since.hpp"

#include <charconv>
#include <regex>

namespace switchyard::controller::analytics {
namespace {

constexpr std::int64_t kMaxSeconds = 100LL * 366 * 86400;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::int64_t days_in_month(std::int64_t y, std::int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

std::int64_t number(const std::ssub_match& match) {
  const std::string text = match.str();
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// ".5" -> 500, ".123456" -> 123: milliseconds, truncated.
std::int64_t fraction_ms(std::string digits) {
  digits.resize(3, '0');
  return std::stoll(digits);
}

std::optional<std::int64_t> relative(const std::smatch& m, std::int64_t now_ms) {
  const std::string digits = m[1].str();
  if (digits.size() > 12) return std::nullopt;
  const std::int64_t n = number(m[1]);
  const char unit = m[2].str()[0];
  const std::int64_t seconds = unit == 'd' ? n * 86400 : unit == 'h' ? n * 3600 : unit == 'm' ? n * 60 : n;
  if (n <= 0 || seconds > kMaxSeconds) return std::nullopt;
  return now_ms - seconds * 1000;
}

}  // namespace

std::optional<std::int64_t> parse_since(const std::string& text, std::int64_t now_ms, std::string& error) {
  static const std::regex kRelative(R"(([0-9]+)([dhms]))");
  static const std::regex kTime(
      R"(([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2})))?)");
  error = "since must be an RFC 3339 date or time (2024-05-01, 2024-05-01T12:00:00Z) or a duration like 7d, 24h, "
          "30m, 45s, not '" + text + "'";
  std::smatch m;
  if (std::regex_match(text, m, kRelative)) {
    auto at = relative(m, now_ms);
    if (at) error.clear();
    return at;
  }
  if (!std::regex_match(text, m, kTime)) return std::nullopt;
  const auto y = number(m[1]);
  const auto mo = number(m[2]);
  const auto d = number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  std::int64_t seconds = days_from_civil(y, mo, d) * 86400;
  std::int64_t millis = 0;
  if (m[4].matched) {
    const auto h = number(m[4]);
    const auto mi = number(m[5]);
    const auto s = number(m[6]);
    if (h > 23 || mi > 59 || s > 60) return std::nullopt;
    seconds += h * 3600 + mi * 60 + s;
    if (m[7].matched) millis = fraction_ms(m[7].str());
    if (m[9].matched) {
      const auto offset = number(m[10]) * 3600 + number(m[11]) * 60;
      seconds += m[9].str() == "+" ? -offset : offset;
    }
  }
  error.clear();
  return seconds * 1000 + millis;
}

}  // namespace switchyard::controller::analytics
