#include "proxy/routing/picker.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "proxy/routing/cohort_hash.hpp"

namespace switchyard::proxy::routing {
namespace {

using Kind = config::StickyConfig::Kind;

Route make_route(const std::vector<std::uint32_t>& weights, Kind sticky = Kind::none,
                 const Route* previous = nullptr) {
  static const char* const kNames[] = {"stable", "canary", "third", "fourth"};
  Route route;
  route.name = "shop";
  std::vector<std::string> names;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    route.versions.push_back(Version{kNames[i], 0, weights[i]});
    names.emplace_back(kNames[i]);
  }
  route.cohorts = CohortTable::build(names, weights, previous ? &previous->cohorts : nullptr);
  route.sticky = config::StickyConfig{sticky, sticky == Kind::cookie ? "sy_cohort" : "x-user-id"};
  route.override_header = "x-switchyard-version";
  return route;
}

void expect_random_shares(const std::vector<std::uint32_t>& weights) {
  const Route route = make_route(weights);
  FastRandom random(2024);
  constexpr int kPicks = 200000;
  std::vector<int> counts(weights.size(), 0);
  for (int i = 0; i < kPicks; ++i) {
    const Pick pick = pick_version(route, {}, random);
    ASSERT_FALSE(pick.pinned);
    ASSERT_FALSE(pick.set_cookie());
    ++counts.at(pick.version);
  }
  double sum = 0;
  for (const auto w : weights) sum += w;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double p = weights[i] / sum;
    const double sigma = std::sqrt(kPicks * p * (1 - p));
    EXPECT_LT(std::abs(counts[i] - kPicks * p), 5 * sigma + 1e-9) << "version " << i;
  }
}

TEST(Picker, RandomPickFollowsWeights) {
  expect_random_shares({95, 5});
  expect_random_shares({50, 30, 20});
  expect_random_shares({100, 0});
}

TEST(Picker, StickyCookieValueAlwaysGivesTheSameVersion) {
  const Route route = make_route({50, 50}, Kind::cookie);
  FastRandom random(1);
  for (int client = 0; client < 1000; ++client) {
    const std::string id = std::string("client-").append(std::to_string(client));
    const Pick first = pick_version(route, {"", id}, random);
    EXPECT_EQ(first.bucket, cohort_bucket(id));
    EXPECT_FALSE(first.set_cookie());
    for (int again = 0; again < 5; ++again) {
      ASSERT_EQ(pick_version(route, {"", id}, random).version, first.version);
    }
  }
}

TEST(Picker, RaisingCanaryKeepsEveryCanaryClientOnCanary) {
  constexpr int kClients = 50000;
  std::vector<std::string> ids;
  for (int i = 0; i < kClients; ++i) {
    ids.push_back(std::string("c").append(std::to_string(i * 7919)));
  }
  FastRandom random(5);
  Route route = make_route({95, 5}, Kind::cookie);
  std::vector<bool> on_canary(kClients, false);
  for (const std::uint32_t canary : {5u, 10u, 25u, 50u, 100u}) {
    route = make_route({100 - canary, canary}, Kind::cookie, &route);
    int count = 0;
    for (int i = 0; i < kClients; ++i) {
      const bool now = pick_version(route, {"", ids[i]}, random).version == 1;
      ASSERT_TRUE(now || !on_canary[i]) << "client " << ids[i] << " left canary at " << canary;
      on_canary[i] = now;
      count += now;
    }
    const double p = canary / 100.0;
    EXPECT_LT(std::abs(count - kClients * p), 5 * std::sqrt(kClients * p * (1 - p)) + 1);
  }
}

TEST(Picker, MissingCookieHandsOutAnIdThatPicksTheSameVersion) {
  const Route route = make_route({50, 50}, Kind::cookie);
  FastRandom random(9);
  std::vector<int> seen(2, 0);
  for (int i = 0; i < 200; ++i) {
    const Pick first = pick_version(route, {}, random);
    ASSERT_TRUE(first.set_cookie());
    const std::string_view id(first.new_cohort_id);
    ASSERT_EQ(id.size(), 16u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string_view::npos);
    EXPECT_EQ(first.bucket, cohort_bucket(id));
    const Pick again = pick_version(route, {"", id}, random);
    EXPECT_FALSE(again.set_cookie());
    EXPECT_EQ(again.version, first.version);
    ++seen[first.version];
  }
  EXPECT_GT(seen[0], 0);  // ids are random, not one fixed cohort
  EXPECT_GT(seen[1], 0);
}

TEST(Picker, StickyHeaderUsesValueAndNeverSetsCookie) {
  const Route route = make_route({50, 50}, Kind::header);
  FastRandom random(3);
  const Pick user = pick_version(route, {"", "user-42"}, random);
  EXPECT_EQ(user.bucket, cohort_bucket("user-42"));
  EXPECT_EQ(user.version, route.cohorts.version_at(cohort_bucket("user-42")));
  std::vector<int> seen(2, 0);
  for (int i = 0; i < 200; ++i) {
    const Pick anonymous = pick_version(route, {}, random);
    EXPECT_FALSE(anonymous.set_cookie());
    ++seen[anonymous.version];
  }
  EXPECT_GT(seen[0], 0);  // no header: a random bucket per request
  EXPECT_GT(seen[1], 0);
}

TEST(Picker, NoStickyIgnoresStickyValue) {
  const Route route = make_route({50, 50}, Kind::none);
  FastRandom random(4);
  std::vector<int> seen(2, 0);
  for (int i = 0; i < 200; ++i) ++seen[pick_version(route, {"", "same"}, random).version];
  EXPECT_GT(seen[0], 0);
  EXPECT_GT(seen[1], 0);
}

TEST(Picker, OverridePinsEvenAWeightZeroVersion) {
  const Route route = make_route({100, 0}, Kind::cookie);
  FastRandom random(6);
  for (int i = 0; i < 100; ++i) {
    const Pick pick = pick_version(route, {"canary", "client-1"}, random);
    EXPECT_TRUE(pick.pinned);
    EXPECT_EQ(pick.version, 1u);
    EXPECT_FALSE(pick.set_cookie());
  }
  const Pick stable = pick_version(route, {"stable", ""}, random);
  EXPECT_TRUE(stable.pinned);
  EXPECT_EQ(stable.version, 0u);
}

TEST(Picker, UnknownOverrideIsIgnored) {
  const Route route = make_route({0, 100}, Kind::header);
  FastRandom random(8);
  for (int i = 0; i < 100; ++i) {
    const Pick pick = pick_version(route, {"Canary", "user-1"}, random);  // names are exact
    EXPECT_FALSE(pick.pinned);
    EXPECT_EQ(pick.version, 1u);
    EXPECT_EQ(pick.bucket, cohort_bucket("user-1"));
  }
}

TEST(FindCookie, FindsExactNameFirstOccurrence) {
  EXPECT_EQ(find_cookie("a=1; b=2", "a"), "1");
  EXPECT_EQ(find_cookie("a=1; b=2", "b"), "2");
  EXPECT_EQ(find_cookie("a=1;b=2", "b"), "2");
  EXPECT_EQ(find_cookie("  a = 1 ;  b=2  ", "a"), "1");
  EXPECT_EQ(find_cookie("b=first; b=second", "b"), "first");
  EXPECT_EQ(find_cookie("sy_cohort=\"abc\"; x=1", "sy_cohort"), "abc");
  EXPECT_EQ(find_cookie("sy=1; sy_cohort=2", "sy_cohort"), "2");
  EXPECT_EQ(find_cookie("xsy_cohort=1; sy_cohortx=2", "sy_cohort"), "");
  EXPECT_EQ(find_cookie("a=x=y", "a"), "x=y");
}

TEST(FindCookie, AbsentOrMalformedGivesEmpty) {
  EXPECT_EQ(find_cookie("", "a"), "");
  EXPECT_EQ(find_cookie("a", "a"), "");
  EXPECT_EQ(find_cookie(";;; ;", "a"), "");
  EXPECT_EQ(find_cookie("a=", "a"), "");
  EXPECT_EQ(find_cookie("b=2", "a"), "");
  EXPECT_EQ(find_cookie("A=1", "a"), "");  // names are case-sensitive
}

}  // namespace
}  // namespace switchyard::proxy::routing
