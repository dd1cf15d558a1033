// Analysis results, instances and events, and that a new StateStore on the same file sees them.
#include <gtest/gtest.h>

#include "tests/controller/store/store_test_util.hpp"

namespace switchyard::controller::store {
namespace {

using test::new_rollout;
using test::open_ok;

InstanceRow instance(const std::string& version, std::int64_t index, std::int64_t port, const std::string& state) {
  InstanceRow row;
  row.app = "shop";
  row.env = "staging";
  row.version = version;
  row.instance_index = index;
  row.pid = 4000 + port;
  row.port = port;
  row.state = state;
  row.log_path = "/var/log/shop-" + version + "-" + std::to_string(index) + ".log";
  row.config_hash = "abc123";
  row.started_at = 100 + index;
  return row;
}

class StateStoreRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/state.db";
    open_ok(store_, path_);
    auto id = store_.create_rollout(new_rollout("shop", "staging", "v2", 1000));
    ASSERT_TRUE(id.ok()) << id.error();
    rollout_ = id.value();
  }

  switchyard::test::TempDir dir_;
  std::string path_;
  StateStore store_;
  std::int64_t rollout_ = 0;
};

TEST_F(StateStoreRecords, AnalysisResultsRoundTripInOrder) {
  AnalysisRow first{0, rollout_, 0, 2000, kVerdictInconclusive, R"({"requests":12})", "12 < 100 requests"};
  AnalysisRow second{0, rollout_, 0, 3000, kVerdictPass, R"({"requests":150,"error_rate":0.0})", ""};
  auto a = store_.add_analysis(first);
  auto b = store_.add_analysis(second);
  ASSERT_TRUE(a.ok() && b.ok()) << a.error() << b.error();
  first.id = a.value();
  second.id = b.value();
  auto rows = store_.analyses(rollout_);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows.value().size(), 2u);
  EXPECT_EQ(rows.value()[0], first);
  EXPECT_EQ(rows.value()[1], second);
  EXPECT_TRUE(store_.analyses(rollout_ + 1).value().empty());
}

TEST_F(StateStoreRecords, AnalysisIsCheckedByTheSchema) {
  EXPECT_FALSE(store_.add_analysis(AnalysisRow{0, rollout_, 0, 1, "maybe", "{}", ""}).ok());
  // Foreign keys are on: a result for a rollout that does not exist is refused.
  auto orphan = store_.add_analysis(AnalysisRow{0, rollout_ + 99, 0, 1, kVerdictPass, "{}", ""});
  EXPECT_EQ(orphan.error(), "FOREIGN KEY constraint failed");
}

TEST_F(StateStoreRecords, InstancesAddUpdateAndList) {
  InstanceRow old0 = instance("v1", 0, 19000, kInstanceHealthy);
  InstanceRow new0 = instance("v2", 0, 19002, kInstanceStarting);
  InstanceRow new1 = instance("v2", 1, 19003, kInstanceStarting);
  for (auto* row : {&old0, &new0, &new1}) {
    auto id = store_.add_instance(*row);
    ASSERT_TRUE(id.ok()) << id.error();
    row->id = id.value();
  }
  auto v2 = store_.list_instances("shop", "staging", "v2");
  ASSERT_TRUE(v2.ok());
  ASSERT_EQ(v2.value().size(), 2u);
  EXPECT_EQ(v2.value()[0], new0);
  EXPECT_EQ(v2.value()[1], new1);

  new0.state = kInstanceHealthy;
  new0.pid = 777;
  new1.state = kInstanceFailed;
  new1.stopped_at = 5000;
  old0.state = kInstanceStopped;
  old0.stopped_at = 6000;
  for (const auto* row : {&old0, &new0, &new1}) ASSERT_TRUE(store_.update_instance(*row).ok());
  auto fetched = store_.get_instance(new0.id);
  ASSERT_TRUE(fetched.ok() && fetched.value().has_value());
  EXPECT_EQ(*fetched.value(), new0);
  auto live = store_.live_instances();
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live.value().size(), 1u);
  EXPECT_EQ(live.value()[0].id, new0.id);

  InstanceRow ghost = new0;
  ghost.id = 999;
  EXPECT_EQ(store_.update_instance(ghost).error, "no instance 999");
  ghost.id = new0.id;
  ghost.state = "zombie";
  EXPECT_FALSE(store_.update_instance(ghost).ok());
  EXPECT_FALSE(store_.get_instance(999).value().has_value());
}

TEST_F(StateStoreRecords, EventsSinceIsOrderedAndBounded) {
  std::vector<std::int64_t> seqs;
  for (int i = 0; i < 5; ++i) {
    EventRow row{0, 1000 + i, "step", "shop", "staging", i % 2 == 0 ? std::optional<std::int64_t>(rollout_) : std::nullopt,
                 R"({"i":)" + std::to_string(i) + "}"};
    auto seq = store_.append_event(row);
    ASSERT_TRUE(seq.ok()) << seq.error();
    seqs.push_back(seq.value());
  }
  for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_GT(seqs[i], seqs[i - 1]);
  auto page = store_.events_since(seqs[1], 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page.value().size(), 2u);
  EXPECT_EQ(page.value()[0], (EventRow{seqs[2], 1002, "step", "shop", "staging", rollout_, R"({"i":2})"}));
  EXPECT_EQ(page.value()[1], (EventRow{seqs[3], 1003, "step", "shop", "staging", std::nullopt, R"({"i":3})"}));
  EXPECT_TRUE(store_.events_since(seqs[4], 10).value().empty());
  EXPECT_EQ(store_.events_since(0, 100).value().size(), 5u);
}

// A second StateStore on the same file (the restarted controller) sees every kind of row.
TEST_F(StateStoreRecords, ReopenedStoreSeesEverything) {
  ASSERT_TRUE(store_.update_rollout_state(rollout_, "step", 1, 10, "promoted", 2000).ok());
  ASSERT_TRUE(store_.add_analysis(AnalysisRow{0, rollout_, 0, 1900, kVerdictPass, "{}", ""}).ok());
  ASSERT_TRUE(store_.add_instance(instance("v2", 0, 19002, kInstanceHealthy)).ok());
  ASSERT_TRUE(store_.append_event(EventRow{0, 2000, "promoted", "shop", "staging", rollout_, "{}"}).ok());
  const auto before = store_.get_rollout(rollout_).value();

  StateStore restarted;
  open_ok(restarted, path_);
  EXPECT_EQ(restarted.get_rollout(rollout_).value(), before);
  auto active = restarted.active_rollouts();
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active.value().size(), 1u);
  EXPECT_EQ(active.value()[0].state, "step");
  EXPECT_EQ(restarted.transitions(rollout_).value().size(), 2u);
  EXPECT_EQ(restarted.analyses(rollout_).value().size(), 1u);
  ASSERT_EQ(restarted.live_instances().value().size(), 1u);
  EXPECT_EQ(restarted.live_instances().value()[0].port, 19002);
  ASSERT_EQ(restarted.events_since(0, 10).value().size(), 1u);
  EXPECT_EQ(restarted.events_since(0, 10).value()[0].kind, "promoted");
}

}  // namespace
}  // namespace switchyard::controller::store
