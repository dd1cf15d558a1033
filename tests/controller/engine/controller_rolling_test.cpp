// Rolling end to end: instances replaced one at a time inside the route's one upstream while a
// traffic thread runs through the proxy; not one request may fail.
#include <gtest/gtest.h>

#include "tests/controller/engine/controller_strategy_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

class ControllerRollingTest : public StrategyFixture {};

TEST_F(ControllerRollingTest, ReplacesInstancesInsideOneUpstreamWithoutFailedRequests) {
  start_strategy(29800, "      kind: rolling\n      max_surge: 1\n      max_unavailable: 0\n");
  // v1 (one endpoint the controller did not start) is replaced by two v2 instances.
  const auto first = start_rollout("v2");
  ASSERT_GT(first, 0);
  ASSERT_EQ(wait_finished(first, 40s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
  const auto v2 = upstream_endpoints("shop-v1");
  ASSERT_EQ(v2.size(), 2u);
  for (const auto& endpoint : v2) EXPECT_EQ(answer_of(endpoint), "v2\n");
  EXPECT_TRUE(upstream_endpoints("shop-v2").empty());  // no second upstream: the same one throughout

  // v2's instances (started by the controller) are replaced by v4's and stopped.
  const auto second = start_rollout("v4");
  ASSERT_GT(second, 0);
  EXPECT_EQ(rollout(second).at("baseline_version").as_string(), "v2");
  ASSERT_EQ(wait_finished(second, 40s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v4", 100}}));
  const auto v4 = upstream_endpoints("shop-v1");
  ASSERT_EQ(v4.size(), 2u);
  for (const auto& endpoint : v4) EXPECT_EQ(answer_of(endpoint), "v4\n");
  for (const auto& endpoint : v2) EXPECT_EQ(answer_of(endpoint), "") << endpoint << " still answers";
  EXPECT_EQ(http_request("127.0.0.1", proxy_->port(), "GET", "/").body, "v4\n");
  EXPECT_GT(requests_.load(), 100u);
  EXPECT_EQ(failures_.load(), 0u);
}

}  // namespace
}  // namespace switchyard::test
