// parse_since: the relative and RFC 3339 forms shared by GET /v1/analytics and the CLI.
#include <gtest/gtest.h>

#include "controller/analytics/since.hpp"

namespace switchyard::controller::analytics {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;

std::optional<std::int64_t> since(const std::string& text) {
  std::string error;
  auto at = parse_since(text, kNow, error);
  EXPECT_EQ(at.has_value(), error.empty()) << text << ": " << error;
  return at;
}

TEST(ParseSince, Relative) {
  EXPECT_EQ(since("7d"), kNow - 7 * 86'400'000LL);
  EXPECT_EQ(since("24h"), kNow - 24 * 3'600'000LL);
  EXPECT_EQ(since("30m"), kNow - 30 * 60'000LL);
  EXPECT_EQ(since("45s"), kNow - 45'000);
}

TEST(ParseSince, Rfc3339) {
  EXPECT_EQ(since("1970-01-01"), 0);
  EXPECT_EQ(since("2023-11-14T22:13:20Z"), 1'700'000'000'000);
  EXPECT_EQ(since("2023-11-14T22:13:20.5Z"), 1'700'000'000'500);
  EXPECT_EQ(since("2023-11-15T00:13:20+02:00"), 1'700'000'000'000);
  EXPECT_EQ(since("2024-02-29"), 1'709'164'800'000);
}

TEST(ParseSince, Refusals) {
  for (const char* bad : {"", "7", "d", "0d", "-1h", "7w", "2023-02-29", "2023-13-01", "2023-11-14T25:00:00Z",
                          "2023-11-14T22:13:20", "yesterday", "99999999999999d"}) {
    std::string error;
    EXPECT_FALSE(parse_since(bad, kNow, error)) << bad;
    EXPECT_NE(error.find("since must be"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace switchyard::controller::analytics
