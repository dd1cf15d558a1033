// HealthMonitor's passive-health pass with an injected time: ejections, their end, the
// last-endpoint rule, and the events and usable flags they publish. No sockets (no health_check).
#include "proxy/admin/health_monitor.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "proxy/admin/control_state.hpp"

namespace switchyard::proxy::admin {
namespace {

config::ProxyConfig two_endpoints() {
  config::ProxyConfig config;
  config.listeners.push_back({{"127.0.0.1", 8080}, std::nullopt});
  config::UpstreamConfig upstream{"shop", {{"127.0.0.1", 9001}, {"127.0.0.1", 9002}}, std::nullopt};
  upstream.outlier_detection.consecutive_failures = 3;
  upstream.outlier_detection.base_ejection_ms = 1000;
  upstream.outlier_detection.max_ejection_ms = 5000;
  config.upstreams.push_back(upstream);
  config::RouteConfig route;
  route.name = "shop";
  route.split.push_back({"v1", "shop", 1});
  config.routes.push_back(route);
  return config;
}

class HealthMonitorTest : public ::testing::Test {
 protected:
  HealthMonitorTest()
      : config_(two_endpoints()),
        publisher_(routing::RouteTable::build(config_, nullptr, 1)),
        state_(config_, publisher_),
        monitor_(ioc_, state_) {}

  const routing::Endpoint& endpoint(std::size_t i) const {
    return publisher_.current()->upstreams()[0].endpoints[i];
  }
  void fail(std::size_t i, int times) {
    for (int n = 0; n < times; ++n) endpoint(i).health->report_failure();
  }
  std::vector<Event> events() const { return state_.events().since(0).events; }

  boost::asio::io_context ioc_;
  config::ProxyConfig config_;
  routing::RouteTablePublisher publisher_;
  ControlState state_;
  HealthMonitor monitor_;
};

TEST_F(HealthMonitorTest, EjectsAfterConsecutiveFailuresAndReturnsAfterTheBackoff) {
  fail(1, 2);
  monitor_.tick(0);
  EXPECT_TRUE(endpoint(1).usable());
  fail(1, 1);
  monitor_.tick(10);
  EXPECT_FALSE(endpoint(1).usable());
  EXPECT_TRUE(endpoint(0).usable());
  auto recorded = events();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].kind, "endpoint_down");
  EXPECT_EQ(recorded[0].detail.at("upstream"), "shop");
  EXPECT_EQ(recorded[0].detail.at("endpoint"), "127.0.0.1:9002");
  EXPECT_EQ(recorded[0].detail.at("reason"), "ejected");
  EXPECT_EQ(recorded[0].detail.at("error"), "3 consecutive failures");

  monitor_.tick(1009);
  EXPECT_FALSE(endpoint(1).usable());
  monitor_.tick(1010);
  EXPECT_TRUE(endpoint(1).usable());
  EXPECT_EQ(endpoint(1).health->consecutive_failures(), 0u);
  recorded = events();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[1].kind, "endpoint_up");
  EXPECT_EQ(recorded[1].detail.at("reason"), "ejection ended");

  fail(1, 3);
  monitor_.tick(1100);
  EXPECT_EQ(endpoint(1).health->control.ejections, 2u);
  EXPECT_EQ(endpoint(1).health->control.ejected_until_ms, 3100);
}

TEST_F(HealthMonitorTest, TheLastUsableEndpointStays) {
  fail(1, 3);
  monitor_.tick(0);
  ASSERT_FALSE(endpoint(1).usable());
  fail(0, 10);
  monitor_.tick(10);
  EXPECT_TRUE(endpoint(0).usable());
  EXPECT_EQ(events().size(), 1u);
}

TEST_F(HealthMonitorTest, HealthSurvivesAnUpstreamReplacementThatKeepsTheEndpoint) {
  fail(1, 3);
  monitor_.tick(0);
  ASSERT_FALSE(endpoint(1).usable());
  auto replacement = config_.upstreams[0];
  replacement.endpoints = {{"127.0.0.1", 9002}, {"127.0.0.1", 9003}};
  ASSERT_TRUE(state_.put_upstream(replacement).ok());
  EXPECT_FALSE(endpoint(0).usable());  // 9002, still ejected
  EXPECT_TRUE(endpoint(1).usable());   // 9003, new
  monitor_.tick(1000);
  EXPECT_TRUE(endpoint(0).usable());
}

TEST_F(HealthMonitorTest, DisablingOutlierDetectionEndsAnEjection) {
  fail(1, 3);
  monitor_.tick(0);
  ASSERT_FALSE(endpoint(1).usable());
  auto replacement = config_.upstreams[0];
  replacement.outlier_detection.enabled = false;
  ASSERT_TRUE(state_.put_upstream(replacement).ok());
  monitor_.tick(10);
  EXPECT_TRUE(endpoint(1).usable());
}

}  // namespace
}  // namespace switchyard::proxy::admin
