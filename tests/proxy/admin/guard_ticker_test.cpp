// The guard tick on the control thread, and the statistics endpoints, driven with injected times.
#include "proxy/admin/guard_ticker.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"
#include "tests/proxy/admin/admin_test_config.hpp"

namespace switchyard::proxy::admin {
namespace {

using stats::UpstreamErrorKind;

class GuardTickerTest : public ::testing::Test {
 protected:
  GuardTickerTest()
      : config_(test_support::make_test_config()),
        publisher_(routing::RouteTable::build(config_, nullptr, 1, stats_slot_assigner(&stats_))),
        state_(config_, publisher_, &stats_),
        ticker_(ioc_, state_, stats_) {}

  // `count` requests to shop's `version` at `now_ms`, every `every`-th one a 503.
  void send(std::string_view version, int count, int every, std::int64_t now_ms) {
    const auto slot = stats_.slot_for("shop", version);
    for (int i = 0; i < count; ++i) {
      const bool fail = every != 0 && i % every == 0;
      stats_.worker(i % 2).record(slot, fail ? 503 : 200, UpstreamErrorKind::none, 2000, now_ms);
    }
  }
  std::uint32_t weight(std::string_view version) const {
    const auto* route = publisher_.current()->find_route("shop");
    return route->versions[*route->find_version(version)].weight;
  }

  boost::asio::io_context ioc_;
  stats::StatsRegistry stats_{2};
  config::ProxyConfig config_;
  routing::RouteTablePublisher publisher_;
  ControlState state_;
  GuardTicker ticker_;
};

TEST_F(GuardTickerTest, TablesCarryStatsSlotsFromTheFirstOne) {
  const auto* route = publisher_.current()->find_route("shop");
  EXPECT_EQ(route->versions[0].stats_slot, *stats_.find_slot("shop", "stable"));
  EXPECT_EQ(route->versions[1].stats_slot, *stats_.find_slot("shop", "canary"));
  ASSERT_TRUE(state_.set_weights("shop", {{"canary", 10}}).ok());
  EXPECT_EQ(publisher_.current()->find_route("shop")->versions[1].stats_slot,
            *stats_.find_slot("shop", "canary"));
}

TEST_F(GuardTickerTest, HealthyCanaryIsLeftAloneAndFailingOneIsReverted) {
  send("stable", 500, 0, 1000);
  send("canary", 19, 2, 1000);
  EXPECT_EQ(ticker_.tick(1000), 0);  // 50% errors, but fewer than min_requests (20)
  send("canary", 1, 0, 1050);
  EXPECT_EQ(ticker_.tick(1050), 1);
  EXPECT_EQ(state_.guard_state("shop"), GuardState::tripped);
  EXPECT_EQ(weight("canary"), 0u);
  EXPECT_EQ(weight("stable"), 100u);
  EXPECT_EQ(stats_.guard_trips("shop"), 1u);
  EXPECT_EQ(ticker_.tick(1100), 0);  // tripped routes are not judged again
}

TEST_F(GuardTickerTest, ReArmedGuardJudgesOnlyWhatCameAfter) {
  send("canary", 40, 1, 1000);  // 100% errors
  ASSERT_EQ(ticker_.tick(1000), 1);
  ASSERT_TRUE(state_.set_weights("shop", {{"stable", 50}, {"canary", 50}}).ok());  // re-arms
  EXPECT_EQ(ticker_.tick(1050), 0);  // the old failures are still in the window: ignored
  send("canary", 100, 100, 1600);    // 1% errors now
  EXPECT_EQ(ticker_.tick(1600), 0);
  send("canary", 40, 1, 1700);
  EXPECT_EQ(ticker_.tick(1700), 1);
  EXPECT_EQ(stats_.guard_trips("shop"), 2u);
}

TEST_F(GuardTickerTest, RouteStatsAnswerPerVersionOverTheGuardWindow) {
  const auto now = stats::steady_now_ms();
  send("stable", 300, 0, now);
  send("canary", 100, 4, now);
  AdminContext context{state_};
  AdminRequest request;
  request.params.emplace_back("route", "shop");
  const auto response = handle_route_stats(context, request);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("window_ms").as_int64(), 10000);
  const auto& canary = body.at("versions").at("canary").as_object();
  EXPECT_EQ(canary.at("requests").as_int64(), 100);
  EXPECT_EQ(canary.at("errors").as_int64(), 25);
  EXPECT_DOUBLE_EQ(canary.at("error_rate").as_double(), 0.25);
  EXPECT_NEAR(canary.at("p99_ms").as_double(), 2.0, 0.1);
  EXPECT_EQ(body.at("versions").at("stable").at("requests").as_int64(), 300);
  AdminRequest unknown;
  unknown.params.emplace_back("route", "ghost");
  EXPECT_EQ(handle_route_stats(context, unknown).status, 404);
}

TEST_F(GuardTickerTest, MetricsAreServedAsPrometheusText) {
  send("canary", 7, 1, 1000);
  AdminContext context{state_};
  context.connections_active = [] { return std::uint64_t{5}; };
  const auto response = handle_metrics(context, {});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("switchyard_requests_total{route=\"shop\",version=\"canary\",code=\"5xx\"} 7\n"),
            std::string::npos) << response.body;
  EXPECT_NE(response.body.find("switchyard_connections_active 5\n"), std::string::npos);
  EXPECT_NE(response.body.find("switchyard_route_weight{route=\"shop\",version=\"stable\"} 95\n"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::proxy::admin
