#include "proxy/admin/control_state.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "admin_test_config.hpp"

namespace switchyard::proxy::admin {
namespace {

using test_support::initial_table;
using test_support::make_test_config;

class ControlStateTest : public ::testing::Test {
 protected:
  ControlStateTest()
      : publisher_(initial_table(make_test_config())), state_(make_test_config(), publisher_) {
    state_.set_change_listener([this](const ChangeEvent& event) { events_.push_back(event); });
  }

  std::vector<std::uint32_t> published_weights(std::string_view route) const {
    std::vector<std::uint32_t> weights;
    for (const auto& version : publisher_.current()->find_route(route)->versions) {
      weights.push_back(version.weight);
    }
    return weights;
  }

  // A refused mutation must leave config, snapshot and listener untouched.
  void expect_unchanged(const config::ProxyConfig& before, std::uint64_t generation) const {
    EXPECT_EQ(state_.config(), before);
    EXPECT_EQ(publisher_.generation(), generation);
    EXPECT_TRUE(events_.empty());
  }

  routing::RouteTablePublisher publisher_;
  ControlState state_;
  std::vector<ChangeEvent> events_;
};

TEST_F(ControlStateTest, ConstructionDoesNotPublish) {
  EXPECT_EQ(publisher_.current()->generation(), 1u);
  const auto generation = publisher_.generation();
  ControlState other(make_test_config(), publisher_);
  EXPECT_EQ(publisher_.generation(), generation);
  EXPECT_EQ(state_.guard_state("shop"), GuardState::armed);
  EXPECT_EQ(state_.guard_state("plain"), GuardState::off);
}

TEST_F(ControlStateTest, SetWeightsPublishesNewSnapshotAndKeepsOtherVersions) {
  const auto generation = publisher_.generation();
  const auto result = state_.set_weights("shop", {{"canary", 20}});
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_GT(publisher_.generation(), generation);
  EXPECT_EQ(publisher_.current()->generation(), 2u);
  EXPECT_EQ(published_weights("shop"), (std::vector<std::uint32_t>{95, 20}));
  EXPECT_EQ(state_.find_route("shop")->split[1].weight, 20u);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, "weights_changed");
  EXPECT_EQ(events_[0].route, "shop");
}

TEST_F(ControlStateTest, SetWeightsUnknownRouteIs404) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  const auto result = state_.set_weights("nope", {{"stable", 1}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 404);
  expect_unchanged(before, generation);
}

TEST_F(ControlStateTest, SetWeightsUnknownVersionIs400NamingIt) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  const auto result = state_.set_weights("shop", {{"stable", 50}, {"beta", 50}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 400);
  EXPECT_NE(result.error->message.find("beta"), std::string::npos) << result.error->message;
  expect_unchanged(before, generation);
}

TEST_F(ControlStateTest, SetWeightsSumZeroIs400) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  const auto result = state_.set_weights("shop", {{"stable", 0}, {"canary", 0}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 400);
  expect_unchanged(before, generation);
}

TEST_F(ControlStateTest, SetWeightsOutOfRangeIsRefusedByValidation) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  const auto result = state_.set_weights("shop", {{"canary", 4000000000u}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 400);
  EXPECT_NE(result.error->message.find("weight"), std::string::npos) << result.error->message;
  expect_unchanged(before, generation);
}

TEST_F(ControlStateTest, MarkTrippedRevertsAndSetWeightsRearms) {
  ASSERT_TRUE(state_.mark_tripped("shop").ok());
  EXPECT_EQ(state_.guard_state("shop"), GuardState::tripped);
  EXPECT_EQ(published_weights("shop"), (std::vector<std::uint32_t>{100, 0}));
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, "guard_tripped");

  // A refused change does not re-arm.
  EXPECT_FALSE(state_.set_weights("shop", {{"ghost", 1}}).ok());
  EXPECT_EQ(state_.guard_state("shop"), GuardState::tripped);

  ASSERT_TRUE(state_.set_weights("shop", {{"stable", 90}, {"canary", 10}}).ok());
  EXPECT_EQ(state_.guard_state("shop"), GuardState::armed);
  EXPECT_EQ(published_weights("shop"), (std::vector<std::uint32_t>{90, 10}));
}

TEST_F(ControlStateTest, MarkTrippedWithoutGuardIsRefused) {
  const auto generation = publisher_.generation();
  const auto result = state_.mark_tripped("plain");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 409);
  EXPECT_EQ(publisher_.generation(), generation);
}

TEST_F(ControlStateTest, RevertSendsAllTrafficToRevertTarget) {
  ASSERT_TRUE(state_.revert("shop").ok());
  EXPECT_EQ(published_weights("shop"), (std::vector<std::uint32_t>{100, 0}));
  EXPECT_EQ(state_.guard_state("shop"), GuardState::armed);  // unchanged
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, "reverted");
}

TEST_F(ControlStateTest, RevertWithoutGuardUsesFirstVersion) {
  ASSERT_TRUE(state_.replace_split("plain", {{"a", "shop-blue", 1}, {"b", "shop-green", 9}}).ok());
  ASSERT_TRUE(state_.revert("plain").ok());
  EXPECT_EQ(published_weights("plain"), (std::vector<std::uint32_t>{100, 0}));
}

TEST_F(ControlStateTest, RevertKeepsTrippedGuardTripped) {
  ASSERT_TRUE(state_.mark_tripped("shop").ok());
  ASSERT_TRUE(state_.revert("shop").ok());
  EXPECT_EQ(state_.guard_state("shop"), GuardState::tripped);
}

TEST_F(ControlStateTest, RevertUnknownRouteIs404) {
  const auto result = state_.revert("nope");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 404);
}

TEST_F(ControlStateTest, ReplaceSplitAddsVersion) {
  ASSERT_TRUE(state_.replace_split("shop", {{"stable", "shop-blue", 90},
                                            {"canary", "shop-green", 10},
                                            {"v3", "spare", 0}})
                  .ok());
  const auto* route = publisher_.current()->find_route("shop");
  ASSERT_EQ(route->versions.size(), 3u);
  EXPECT_TRUE(route->find_version("v3").has_value());
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, "split_changed");
}

TEST_F(ControlStateTest, ReplaceSplitUnknownUpstreamIs400) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  const auto result = state_.replace_split("shop", {{"stable", "shop-blue", 1}, {"x", "ghost", 1}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 400);
  EXPECT_NE(result.error->message.find("split[1].upstream"), std::string::npos)
      << result.error->message;
  expect_unchanged(before, generation);
}

TEST_F(ControlStateTest, ReplaceSplitDroppingRevertTargetIs400) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  const auto result = state_.replace_split("shop", {{"canary", "shop-green", 100}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 400);
  EXPECT_NE(result.error->message.find("stable"), std::string::npos) << result.error->message;
  expect_unchanged(before, generation);
}

TEST_F(ControlStateTest, ReplaceSplitCanMoveTheGuardBaselineToAVersionItKeeps) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  auto result = state_.replace_split("shop", {{"canary", "shop-green", 100}}, "stable");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->message, "revert_to: stable is not a version of the new split");
  expect_unchanged(before, generation);

  result = state_.replace_split("shop", {{"canary", "shop-green", 100}}, "canary");
  ASSERT_TRUE(result.ok()) << result.error->message;
  const auto* route = state_.find_route("shop");
  ASSERT_NE(route, nullptr);
  ASSERT_TRUE(route->guard);
  EXPECT_EQ(route->guard->revert_to, "canary");
  ASSERT_EQ(route->split.size(), 1u);
  // From now on the new baseline is the one a split must keep.
  EXPECT_FALSE(state_.replace_split("shop", {{"stable", "shop-blue", 100}}).ok());
}

TEST_F(ControlStateTest, ReplaceSplitDuplicateVersionIsRefusedByValidation) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  const auto result =
      state_.replace_split("shop", {{"stable", "shop-blue", 1}, {"stable", "shop-green", 1}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 400);
  EXPECT_NE(result.error->message.find("duplicate"), std::string::npos) << result.error->message;
  expect_unchanged(before, generation);
}

TEST_F(ControlStateTest, ReplaceSplitUnknownRouteIs404) {
  const auto result = state_.replace_split("nope", {{"a", "shop-blue", 1}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 404);
}

TEST_F(ControlStateTest, PutUpstreamCreatesThenReplaces) {
  config::UpstreamConfig fresh{"shop-v3", {config::HostPort{"127.0.0.1", 19000}}, std::nullopt};
  auto result = state_.put_upstream(fresh);
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_TRUE(result.created);
  ASSERT_NE(state_.find_upstream("shop-v3"), nullptr);

  fresh.endpoints.push_back(config::HostPort{"127.0.0.1", 19001});
  result = state_.put_upstream(fresh);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.created);
  EXPECT_EQ(state_.find_upstream("shop-v3")->endpoints.size(), 2u);
  bool published = false;
  for (const auto& upstream : publisher_.current()->upstreams()) {
    if (upstream.name == "shop-v3") published = upstream.endpoints.size() == 2;
  }
  EXPECT_TRUE(published);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[1].kind, "upstream_changed");
  EXPECT_EQ(events_[1].upstream, "shop-v3");
}

TEST_F(ControlStateTest, PutUpstreamInvalidIsRefused) {
  const auto before = state_.config();
  const auto generation = publisher_.generation();
  config::HealthCheckConfig check;
  check.timeout_ms = 5000;  // > interval_ms
  const auto result = state_.put_upstream({"spare", {}, check});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 400);
  expect_unchanged(before, generation);
  EXPECT_FALSE(state_.put_upstream({"bad name!", {}, std::nullopt}).ok());
}

TEST_F(ControlStateTest, DeleteUpstream) {
  const auto generation = publisher_.generation();
  auto result = state_.delete_upstream("ghost");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 404);

  result = state_.delete_upstream("shop-green");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->status, 409);
  EXPECT_NE(result.error->message.find("shop"), std::string::npos);
  EXPECT_EQ(publisher_.generation(), generation);
  EXPECT_NE(state_.find_upstream("shop-green"), nullptr);

  ASSERT_TRUE(state_.delete_upstream("spare").ok());
  EXPECT_EQ(state_.find_upstream("spare"), nullptr);
  EXPECT_GT(publisher_.generation(), generation);
  EXPECT_EQ(publisher_.current()->upstreams().size(), 2u);
}

TEST_F(ControlStateTest, UpstreamFreedBySplitChangeCanBeDeleted) {
  ASSERT_TRUE(state_.replace_split("shop", {{"stable", "shop-blue", 100}}).ok());
  EXPECT_TRUE(state_.delete_upstream("shop-green").ok());
}

}  // namespace
}  // namespace switchyard::proxy::admin
