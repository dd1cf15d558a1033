#include "controller/rollout/analysis.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::controller::rollout {
namespace {

// One proxy's stats body for the two versions.
std::string body(int base_requests, int base_errors, double base_p99, int requests, int errors, double p99) {
  const auto version = [](int r, int e, double p) {
    return "{\"requests\":" + std::to_string(r) + ",\"errors\":" + std::to_string(e) +
           ",\"error_rate\":0.5,\"p50_ms\":1,\"p90_ms\":2,\"p99_ms\":" + std::to_string(p) + "}";
  };
  return "{\"window_ms\":30000,\"versions\":{\"v1\":" + version(base_requests, base_errors, base_p99) +
         ",\"v2\":" + version(requests, errors, p99) + "}}";
}

config::AnalysisConfig limits() {
  config::AnalysisConfig c;
  c.max_error_rate = 0.05;
  c.max_p99_ms = 300;
  c.min_requests = 100;
  c.max_error_rate_increase = 0.0;
  return c;
}

Verdict judge(const config::AnalysisConfig& c, std::vector<ProxyStats> proxies) {
  return analyze(c, "v1", "v2", proxies);
}

TEST(Analysis, Table) {
  struct Row {
    const char* name;
    config::AnalysisConfig config;
    std::vector<ProxyStats> proxies;
    VerdictKind expected;
    const char* reason_part;
  };
  auto relative = limits();
  relative.max_error_rate_increase = 0.01;
  auto no_p99 = limits();
  no_p99.max_p99_ms = 0;
  const std::vector<Row> rows = {
      {"healthy", limits(), {{"a", body(1000, 5, 50, 200, 2, 80)}}, VerdictKind::pass, "within limits"},
      {"absolute error rate", limits(), {{"a", body(1000, 5, 50, 200, 20, 80)}}, VerdictKind::fail,
       "above max_error_rate"},
      {"error rate exactly at the limit passes", limits(), {{"a", body(1000, 5, 50, 200, 10, 80)}},
       VerdictKind::pass, "within"},
      {"relative margin over the baseline", relative, {{"a", body(1000, 10, 50, 200, 5, 80)}}, VerdictKind::fail,
       "above baseline 0.0100"},
      {"relative margin respected", relative, {{"a", body(1000, 10, 50, 200, 3, 80)}}, VerdictKind::pass, "within"},
      {"relative margin off when 0", limits(), {{"a", body(1000, 0, 50, 200, 5, 80)}}, VerdictKind::pass, "within"},
      {"relative check skipped without baseline traffic", relative, {{"a", body(0, 0, 0, 200, 4, 80)}},
       VerdictKind::pass, "within"},
      {"p99", limits(), {{"a", body(1000, 0, 50, 200, 0, 301)}}, VerdictKind::fail, "above max_p99_ms 300"},
      {"p99 off when 0", no_p99, {{"a", body(1000, 0, 50, 200, 0, 5000)}}, VerdictKind::pass, "within"},
      {"too few requests", limits(), {{"a", body(1000, 0, 50, 99, 0, 80)}}, VerdictKind::inconclusive,
       "fewer than min_requests 100"},
      {"too few requests never fails", limits(), {{"a", body(1000, 0, 50, 10, 10, 900)}},
       VerdictKind::inconclusive, "fewer than min_requests"},
      {"sums requests across proxies", limits(),
       {{"a", body(500, 0, 50, 60, 0, 80)}, {"b", body(500, 0, 50, 60, 0, 80)}}, VerdictKind::pass, "120 requests"},
      {"sums errors across proxies", limits(),
       {{"a", body(500, 0, 50, 100, 4, 80)}, {"b", body(500, 0, 50, 100, 8, 80)}}, VerdictKind::fail,
       "error rate 0.0600"},
      {"p99 is the max across proxies", limits(),
       {{"a", body(500, 0, 50, 100, 0, 80)}, {"b", body(500, 0, 50, 100, 0, 450)}}, VerdictKind::fail,
       "p99 450.0"},
      {"malformed JSON names the proxy", limits(),
       {{"a", body(500, 0, 50, 100, 0, 80)}, {"10.0.0.5:9901", "{\"versions\":"}}, VerdictKind::inconclusive,
       "proxy 10.0.0.5:9901 answered malformed stats"},
      {"missing versions names the proxy", limits(), {{"p2", "{\"window_ms\":1}"}}, VerdictKind::inconclusive,
       "proxy p2 answered stats without \"versions\""},
      {"wrong figure types name the proxy", limits(),
       {{"p3", "{\"versions\":{\"v2\":{\"requests\":\"many\",\"errors\":0}}}"}}, VerdictKind::inconclusive,
       "proxy p3 answered malformed figures"},
      {"silent proxy", limits(), {{"p4", ""}}, VerdictKind::inconclusive, "proxy p4 did not answer"},
      {"no proxies", limits(), {}, VerdictKind::inconclusive, "no proxy"},
      {"version absent on a proxy counts as no traffic there", limits(),
       {{"a", body(500, 0, 50, 150, 0, 80)}, {"b", "{\"versions\":{\"v1\":{\"requests\":5,\"errors\":0}}}"}},
       VerdictKind::pass, "150 requests"},
  };
  for (const auto& row : rows) {
    const auto verdict = judge(row.config, row.proxies);
    EXPECT_EQ(verdict.kind, row.expected) << row.name << ": " << verdict.reason;
    EXPECT_NE(verdict.reason.find(row.reason_part), std::string::npos) << row.name << ": " << verdict.reason;
  }
}

TEST(Analysis, FiguresHoldTheSummedTotalsOfBothVersions) {
  const auto verdict = judge(limits(), {{"a", body(300, 3, 40, 100, 1, 70)}, {"b", body(700, 7, 60, 150, 2, 90)}});
  ASSERT_EQ(verdict.kind, VerdictKind::pass) << verdict.reason;
  const auto& candidate = verdict.figures.at("candidate").as_object();
  EXPECT_EQ(candidate.at("requests").as_uint64(), 250u);
  EXPECT_EQ(candidate.at("errors").as_uint64(), 3u);
  EXPECT_DOUBLE_EQ(candidate.at("error_rate").as_double(), 3.0 / 250.0);
  EXPECT_DOUBLE_EQ(candidate.at("p99_ms").as_double(), 90.0);
  const auto& baseline = verdict.figures.at("baseline").as_object();
  EXPECT_EQ(baseline.at("requests").as_uint64(), 1000u);
  EXPECT_DOUBLE_EQ(baseline.at("error_rate").as_double(), 0.01);
  EXPECT_EQ(verdict.figures.at("proxies").as_uint64(), 2u);
}

TEST(Analysis, VerdictKindRoundTripsThroughText) {
  for (auto kind : {VerdictKind::pass, VerdictKind::fail, VerdictKind::inconclusive}) {
    EXPECT_EQ(verdict_kind_from_string(to_string(kind)), kind);
  }
  EXPECT_FALSE(verdict_kind_from_string("maybe").has_value());
}

TEST(Analysis, MaxSafeWeight) {
  struct Row {
    std::uint32_t healthy, desired, requested, expected;
  };
  const Row rows[] = {
      {2, 2, 50, 50},   // full strength
      {3, 2, 50, 50},   // more than wanted: never above the request
      {1, 2, 50, 25},   // half the instances: half the share
      {1, 3, 10, 3},    // rounded down
      {0, 2, 50, 0},    // none healthy: no traffic
      {1, 2, 100, 50},  // even the last step is capped
      {0, 0, 40, 40},   // no sizing known
  };
  for (const auto& r : rows) {
    EXPECT_EQ(max_safe_weight(r.healthy, r.desired, r.requested), r.expected)
        << r.healthy << "/" << r.desired << " of " << r.requested;
  }
}

}  // namespace
}  // namespace switchyard::controller::rollout
