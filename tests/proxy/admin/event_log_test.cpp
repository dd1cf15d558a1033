#include "proxy/admin/event_log.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard::proxy::admin {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2024-05-01T12:34:56.789Z
system_clock::time_point fixed_time() {
  return system_clock::time_point(milliseconds(1714566896789));
}

TEST(EventLogTest, SequenceNumbersStartAtOneAndGrow) {
  EventLog log(8, fixed_time);
  EXPECT_EQ(log.last_seq(), 0u);
  EXPECT_EQ(log.record(event_kind::kWeightsChanged, "shop"), 1u);
  EXPECT_EQ(log.record(event_kind::kGuardTripped, "shop"), 2u);
  EXPECT_EQ(log.record(event_kind::kConfigReloaded, ""), 3u);
  EXPECT_EQ(log.last_seq(), 3u);
}

TEST(EventLogTest, SinceReturnsOnlyNewerEventsOldestFirst) {
  EventLog log(8, fixed_time);
  for (int i = 0; i < 5; ++i) log.record(event_kind::kWeightsChanged, "r" + std::to_string(i));
  const auto all = log.since(0);
  ASSERT_EQ(all.events.size(), 5u);
  EXPECT_EQ(all.events.front().seq, 1u);
  EXPECT_EQ(all.next, 5u);
  EXPECT_EQ(all.dropped, 0u);

  const auto tail = log.since(3);
  ASSERT_EQ(tail.events.size(), 2u);
  EXPECT_EQ(tail.events[0].seq, 4u);
  EXPECT_EQ(tail.events[0].route, "r3");
  EXPECT_EQ(tail.events[1].seq, 5u);
  EXPECT_EQ(tail.next, 5u);

  const auto none = log.since(5);
  EXPECT_TRUE(none.events.empty());
  EXPECT_EQ(none.next, 5u) << "next stays usable as the following since";
}

TEST(EventLogTest, OverflowDropsTheOldestAndReportsWhatWasMissed) {
  EventLog log(4, fixed_time);
  for (int i = 0; i < 10; ++i) log.record(event_kind::kWeightsChanged, "shop");
  EXPECT_EQ(log.size(), 4u);
  const auto all = log.since(0);
  ASSERT_EQ(all.events.size(), 4u);
  EXPECT_EQ(all.events.front().seq, 7u);
  EXPECT_EQ(all.events.back().seq, 10u);
  EXPECT_EQ(all.dropped, 6u) << "seq 1..6 are gone";
  EXPECT_EQ(log.since(5).dropped, 1u) << "only seq 6 was missed by a reader at 5";
  EXPECT_EQ(log.since(6).dropped, 0u);
}

TEST(EventLogTest, SinceBeyondTheNewestMeansTheProxyRestarted) {
  EventLog log(8, fixed_time);
  log.record(event_kind::kWeightsChanged, "shop");
  const auto found = log.since(500);
  ASSERT_EQ(found.events.size(), 1u) << "a reader from before a restart gets what is held";
  EXPECT_EQ(found.next, 1u);
}

TEST(EventLogTest, ObserverIsToldAfterEachRecord) {
  EventLog log(8, fixed_time);
  std::vector<std::uint64_t> seen;
  log.set_on_record([&] { seen.push_back(log.last_seq()); });
  log.record(event_kind::kWeightsChanged, "shop");
  log.record(event_kind::kReverted, "shop");
  log.set_on_record({});
  log.record(event_kind::kReverted, "shop");
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2}));
}

TEST(EventLogTest, TimeIsRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(rfc3339_utc(fixed_time()), "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(rfc3339_utc(system_clock::time_point(milliseconds(5))), "1970-01-01T00:00:00.005Z");
}

TEST(EventLogTest, JsonHasTheFixedFieldsThenTheDetails) {
  EventLog log(8, fixed_time);
  log.record(event_kind::kWeightsChanged, "shop",
             boost::json::object{{"weights", {{"stable", 90}, {"canary", 10}}}, {"seq", 99}});
  const auto json = event_to_json(log.since(0).events.at(0));
  EXPECT_EQ(boost::json::serialize(json),
            R"({"seq":1,"time":"2024-05-01T12:34:56.789Z","kind":"weights_changed","route":"shop",)"
            R"("weights":{"stable":90,"canary":10}})")
      << "a detail named like a fixed field does not override it";
}

}  // namespace
}  // namespace switchyard::proxy::admin
