#include "proxy/admin/admin_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "admin_test_config.hpp"

namespace json = boost::json;

namespace switchyard::proxy::admin {
namespace {

struct BadBody {
  const char* body;
  const char* message;  // expected exact message
};

template <class T>
std::string error_of(const Parsed<T>& parsed) {
  if (const auto* error = std::get_if<AdminError>(&parsed)) {
    EXPECT_EQ(error->status, 400);
    return error->message;
  }
  return "<accepted>";
}

TEST(AdminJsonTest, WeightsBodyParses) {
  const auto parsed = parse_weights_body(R"({"stable":90,"canary":10})");
  ASSERT_EQ(parsed.index(), 0u) << error_of(parsed);
  const auto& weights = std::get<0>(parsed);
  EXPECT_EQ(weights.size(), 2u);
  EXPECT_EQ(weights.at("stable"), 90u);
  EXPECT_EQ(weights.at("canary"), 10u);
  EXPECT_EQ(std::get<0>(parse_weights_body(R"({"a":4294967295})")).at("a"), 4294967295u);
}

TEST(AdminJsonTest, BadWeightsBodies) {
  const BadBody cases[] = {
      {R"({"stable":90,"canary":-1})", "weights.canary: must be a non-negative integer"},
      {R"({"canary":1.5})", "weights.canary: must be a non-negative integer"},
      {R"({"canary":10.0})", "weights.canary: must be a non-negative integer"},
      {R"({"canary":"10"})", "weights.canary: must be a non-negative integer"},
      {R"({"canary":null})", "weights.canary: must be a non-negative integer"},
      {R"({"canary":true})", "weights.canary: must be a non-negative integer"},
      {R"({"canary":4294967296})", "weights.canary: must be <= 4294967295"},
      {R"({})", "weights: must name at least one version"},
      {R"([90,10])", "body: must be a JSON object"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(error_of(parse_weights_body(c.body)), c.message) << c.body;
  }
}

TEST(AdminJsonTest, InvalidJsonNamesTheProblem) {
  for (const char* body : {"", "{", R"({"a":1,})", "nope", R"({"a":1} trailing)"}) {
    const auto message = error_of(parse_weights_body(body));
    EXPECT_EQ(message.rfind("invalid JSON: ", 0), 0u) << body << " -> " << message;
  }
}

TEST(AdminJsonTest, SplitBodyParses) {
  const auto parsed = parse_split_body(
      R"({"split":[{"version":"stable","upstream":"shop-blue","weight":100},
                   {"version":"v2","upstream":"shop-v2","weight":0}]})");
  ASSERT_EQ(parsed.index(), 0u) << error_of(parsed);
  const auto& split = std::get<0>(parsed).split;
  EXPECT_EQ(std::get<0>(parsed).revert_to, "");
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0], (config::SplitEntry{"stable", "shop-blue", 100}));
  EXPECT_EQ(split[1], (config::SplitEntry{"v2", "shop-v2", 0}));
}

TEST(AdminJsonTest, SplitBodyMayMoveTheGuardBaseline) {
  const auto parsed = parse_split_body(R"({"split":[{"version":"v2","upstream":"shop-v2","weight":100}],"revert_to":"v2"})");
  ASSERT_EQ(parsed.index(), 0u) << error_of(parsed);
  EXPECT_EQ(std::get<0>(parsed).revert_to, "v2");
  ASSERT_EQ(std::get<0>(parsed).split.size(), 1u);
}

TEST(AdminJsonTest, BadSplitBodies) {
  const BadBody cases[] = {
      {R"({"split":[{"version":"a","upstream":"u","weight":1},{"version":"b","upstream":"u","weight":-5}]})",
       "split[1].weight: must be a non-negative integer"},
      {R"({"split":[{"version":"a","upstream":"u"}]})", "split[0].weight: required"},
      {R"({"split":[{"version":"a","upstream":"u","weight":1,"colour":"blue"}]})",
       "split[0].colour: unknown key"},
      {R"({"split":[{"version":"","upstream":"u","weight":1}]})",
       "split[0].version: must be a non-empty string"},
      {R"({"split":[{"version":"a","upstream":7,"weight":1}]})",
       "split[0].upstream: must be a non-empty string"},
      {R"({"split":[5]})", "split[0]: must be an object {version, upstream, weight}"},
      {R"({"split":[]})", "split: must have at least one entry"},
      {R"({"split":{}})", "split: must be an array"},
      {R"({})", "split: required"},
      {R"({"split":[{"version":"a","upstream":"u","weight":1}],"extra":1})", "extra: unknown key"},
      {R"({"split":[{"version":"a","upstream":"u","weight":1}],"revert_to":""})", "revert_to: must be a non-empty string"},
      {R"({"split":[{"version":"a","upstream":"u","weight":1}],"revert_to":3})", "revert_to: must be a non-empty string"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(error_of(parse_split_body(c.body)), c.message) << c.body;
  }
}

TEST(AdminJsonTest, UpstreamBodyParses) {
  const auto parsed = parse_upstream_body(
      R"({"endpoints":["127.0.0.1:19000","[::1]:19001"],
          "health_check":{"path":"/ready","interval_ms":2000,"timeout_ms":100,"healthy":1,"unhealthy":2}})",
      "shop-v2");
  ASSERT_EQ(parsed.index(), 0u) << error_of(parsed);
  const auto& upstream = std::get<0>(parsed);
  EXPECT_EQ(upstream.name, "shop-v2");
  ASSERT_EQ(upstream.endpoints.size(), 2u);
  EXPECT_EQ(upstream.endpoints[0], (config::HostPort{"127.0.0.1", 19000}));
  EXPECT_EQ(upstream.endpoints[1], (config::HostPort{"::1", 19001}));
  ASSERT_TRUE(upstream.health_check.has_value());
  EXPECT_EQ(upstream.health_check->path, "/ready");
  EXPECT_EQ(upstream.health_check->interval_ms, 2000u);
  EXPECT_EQ(upstream.health_check->unhealthy, 2u);

  const auto minimal = parse_upstream_body(R"({"endpoints":[],"health_check":null})", "x");
  ASSERT_EQ(minimal.index(), 0u) << error_of(minimal);
  EXPECT_FALSE(std::get<0>(minimal).health_check.has_value());
  EXPECT_TRUE(std::get<0>(minimal).endpoints.empty());
}

TEST(AdminJsonTest, BadUpstreamBodies) {
  const BadBody cases[] = {
      {R"({"endpoints":[7]})", "endpoints[0]: must be a \"host:port\" string"},
      {R"({"endpoints":"127.0.0.1:1"})", "endpoints: must be an array of \"host:port\" strings"},
      {R"({"health_check":null})", "endpoints: required (an array, may be empty)"},
      {R"({"endpoints":[],"health_check":{"interval":5}})", "health_check.interval: unknown key"},
      {R"({"endpoints":[],"health_check":{"healthy":-1}})",
       "health_check.healthy: must be a non-negative integer"},
      {R"({"endpoints":[],"health_check":7})", "health_check: must be an object or null"},
      {R"({"endpoints":[],"name":"other"})", "name: must equal the name in the path (up)"},
      {R"({"endpoints":[],"weight":1})", "weight: unknown key"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(error_of(parse_upstream_body(c.body, "up")), c.message) << c.body;
  }
  // The address parser's reason is kept, behind the field name.
  for (const char* body : {R"({"endpoints":["127.0.0.1:1","nonsense"]})",
                           R"({"endpoints":["127.0.0.1:1","127.0.0.1:99999"]})"}) {
    const auto message = error_of(parse_upstream_body(body, "up"));
    EXPECT_EQ(message.rfind("endpoints[1]: ", 0), 0u) << message;
    EXPECT_GT(message.size(), std::string("endpoints[1]: ").size());
  }
}

TEST(AdminJsonTest, RouteShape) {
  const auto cfg = test_support::make_test_config();
  const auto value = route_to_json(cfg.routes[0], GuardState::tripped);
  const auto expected = json::parse(R"({
      "name":"shop",
      "match":{"host":"shop.example.com","path_prefix":"/"},
      "split":[{"version":"stable","upstream":"shop-blue","weight":95},
               {"version":"canary","upstream":"shop-green","weight":5}],
      "sticky":{"cookie":"sy_cohort"},
      "override_header":"x-switchyard-version",
      "guard":{"state":"tripped","revert_to":"stable","window_ms":10000,"min_requests":20,
               "max_error_rate":0.05,"max_p99_ms":0}})");
  EXPECT_EQ(value, expected) << json::serialize(value);

  const auto plain = route_to_json(cfg.routes[1], GuardState::off);
  EXPECT_TRUE(plain.at("sticky").is_null());
  EXPECT_EQ(plain.at("guard"), json::parse(R"({"state":"off"})"));
}

TEST(AdminJsonTest, UpstreamShapeTakesHealthFromSnapshot) {
  const auto cfg = test_support::make_test_config();
  routing::Upstream live;
  live.name = "shop-green";
  live.endpoints.push_back(routing::Endpoint{"127.0.0.1", 18082, "127.0.0.1:18082", false, nullptr});
  const auto value = upstream_to_json(cfg.upstreams[1], &live);
  const auto expected = json::parse(R"({
      "name":"shop-green",
      "endpoints":[{"address":"127.0.0.1:18082","healthy":false,"state":"unhealthy",
                    "last_error":null,"last_check_ms":null}],
      "health_check":{"path":"/healthz","interval_ms":1000,"timeout_ms":500,"healthy":2,
                      "unhealthy":3},
      "outlier_detection":{"enabled":true,"consecutive_failures":5,"base_ejection_ms":10000,
                           "max_ejection_ms":300000},
      "max_connections":0,"max_pending":0,"max_requests":0})");
  EXPECT_EQ(value, expected) << json::serialize(value);
  const auto no_live = upstream_to_json(cfg.upstreams[0], nullptr);
  EXPECT_EQ(no_live.at("endpoints").at(0).at("healthy"), true);
  EXPECT_TRUE(no_live.at("health_check").is_null());
}

}  // namespace
}  // namespace switchyard::proxy::admin
