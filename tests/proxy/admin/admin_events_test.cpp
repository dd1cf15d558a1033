// GET /v1/events through the real admin server: events recorded by changes, the since filter,
// and the long poll (wake-up on a change, timeout, stop).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include <boost/json.hpp>

#include "admin_server_harness.hpp"
#include "test_http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace json = boost::json;

namespace switchyard::proxy::admin {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using test_support::HttpAnswer;
using test_support::TestHttpClient;

class AdminEventsTest : public test_support::AdminServerHarness {
 protected:
  // Polls (bounded) until `n` long polls wait on the server.
  bool wait_for_long_polls(std::size_t n) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      if (on_control_thread([&] { return server_->long_polls_waiting(); }) == n) return true;
      std::this_thread::sleep_for(milliseconds(1));  // polling a readiness condition
    }
    return false;
  }

  // GET `target` on its own connection in a background thread; the answer and its time.
  struct Timed {
    HttpAnswer answer;
    Clock::time_point at;
  };
  std::future<Timed> get_async(const std::string& target) {
    return std::async(std::launch::async, [address = address_, target] {
      TestHttpClient client(address, std::chrono::seconds(40));
      Timed timed{client.request("GET", target), {}};
      timed.at = Clock::now();
      return timed;
    });
  }
};

TEST_F(AdminEventsTest, ChangesAreRecordedWithDetailsAndWho) {
  start();
  TestHttpClient client(address_);
  ASSERT_EQ(client.request("PUT", "/v1/routes/shop/weights", R"({"canary":10})").status, 200);
  ASSERT_EQ(client.request("POST", "/v1/routes/shop/revert").status, 200);
  ASSERT_EQ(client.request("PUT", "/v1/upstreams/extra", R"({"endpoints":["127.0.0.1:1"]})").status,
            201);

  auto answer = client.request("GET", "/v1/events?since=0");
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto body = json::parse(answer.body).as_object();
  EXPECT_EQ(body.at("next"), 3);
  const auto& events = body.at("events").as_array();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("seq"), 1);
  EXPECT_EQ(events[0].at("kind"), "weights_changed");
  EXPECT_EQ(events[0].at("route"), "shop");
  EXPECT_EQ(events[0].at("weights"), json::parse(R"({"stable":95,"canary":10})"));
  const std::string by(events[0].at("by").as_string());
  EXPECT_EQ(by.rfind("admin API 127.0.0.1:", 0), 0u) << by;
  const std::string time(events[0].at("time").as_string());
  EXPECT_EQ(time.size(), 24u) << time;  // 2024-05-01T12:34:56.789Z
  EXPECT_EQ(time.back(), 'Z');
  EXPECT_EQ(events[1].at("kind"), "reverted");
  EXPECT_EQ(events[1].at("weights"), json::parse(R"({"stable":100,"canary":0})"));
  EXPECT_EQ(events[2].at("kind"), "upstream_changed");
  EXPECT_EQ(events[2].at("route"), "");
  EXPECT_EQ(events[2].at("upstream"), "extra");
  EXPECT_EQ(events[2].at("endpoints"), json::parse(R"(["127.0.0.1:1"])"));

  answer = client.request("GET", "/v1/events?since=2");
  body = json::parse(answer.body).as_object();
  ASSERT_EQ(body.at("events").as_array().size(), 1u);
  EXPECT_EQ(body.at("events").at(0).at("seq"), 3);
  EXPECT_EQ(body.at("next"), 3);

  answer = client.request("GET", "/v1/events?since=3");
  EXPECT_EQ(json::parse(answer.body), json::parse(R"({"events":[],"next":3})"));
}

TEST_F(AdminEventsTest, GuardTripIsRecorded) {
  start();
  ASSERT_TRUE(on_control_thread([&] { return state_.mark_tripped("shop").ok(); }));
  TestHttpClient client(address_);
  const auto body = json::parse(client.request("GET", "/v1/events").body);
  ASSERT_EQ(body.at("events").as_array().size(), 1u);
  EXPECT_EQ(body.at("events").at(0).at("kind"), "guard_tripped");
  EXPECT_EQ(body.at("events").at(0).at("revert_to"), "stable");
  EXPECT_FALSE(body.at("events").at(0).as_object().contains("by")) << "the proxy did it";
}

TEST_F(AdminEventsTest, EventsAndConfigNeedTheTokenWhenOneIsSet) {
  test::TempDir dir;
  config::AdminConfig cfg;
  cfg.token_file = dir.write_file("admin.token", "s3cret\n");
  start(cfg);
  TestHttpClient client(address_);
  for (const char* target : {"/v1/events", "/v1/config"}) {
    EXPECT_EQ(client.request("GET", target).status, 401) << target;
    EXPECT_EQ(client.request("GET", target, "", {{"Authorization", "Bearer s3cret"}}).status, 200)
        << target;
  }
  EXPECT_EQ(client.request("POST", "/v1/config/reload").status, 401);
  EXPECT_EQ(client.request("GET", "/healthz").status, 200) << "stays open";
}

TEST_F(AdminEventsTest, BadParametersAre400) {
  start();
  TestHttpClient client(address_);
  auto answer = client.request("GET", "/v1/events?since=abc");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(json::parse(answer.body).at("error"), "since: must be a non-negative integer");
  answer = client.request("GET", "/v1/events?since=0&wait_ms=30001");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(json::parse(answer.body).at("error"), "wait_ms: must be an integer from 0 to 30000");
  answer = client.request("GET", "/v1/events?wait_ms=-1");
  EXPECT_EQ(answer.status, 400);
}

TEST_F(AdminEventsTest, LongPollWakesWithin50msOfAWeightsChange) {
  start();
  auto poll = get_async("/v1/events?since=0&wait_ms=20000");
  ASSERT_TRUE(wait_for_long_polls(1)) << "the poll must be waiting before the change";
  ASSERT_EQ(poll.wait_for(milliseconds(0)), std::future_status::timeout) << "it must not answer yet";

  TestHttpClient client(address_);
  const auto changed_at = Clock::now();
  ASSERT_EQ(client.request("PUT", "/v1/routes/shop/weights", R"({"canary":50})").status, 200);
  ASSERT_EQ(poll.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const auto timed = poll.get();
  const auto latency = std::chrono::duration_cast<milliseconds>(timed.at - changed_at);
  EXPECT_LT(latency.count(), 50) << "long poll answered " << latency.count() << " ms after the change";
  ASSERT_EQ(timed.answer.status, 200);
  const auto body = json::parse(timed.answer.body);
  ASSERT_EQ(body.at("events").as_array().size(), 1u);
  EXPECT_EQ(body.at("events").at(0).at("kind"), "weights_changed");
  EXPECT_EQ(body.at("next"), 1);
  EXPECT_TRUE(wait_for_long_polls(0));
}

TEST_F(AdminEventsTest, LongPollTimesOutWithNothingNew) {
  start();
  TestHttpClient client(address_);
  ASSERT_EQ(client.request("PUT", "/v1/routes/shop/weights", R"({"canary":6})").status, 200);
  const auto started = Clock::now();
  auto poll = get_async("/v1/events?since=1&wait_ms=300");
  ASSERT_EQ(poll.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const auto timed = poll.get();
  const auto waited = std::chrono::duration_cast<milliseconds>(timed.at - started).count();
  EXPECT_GE(waited, 300);
  EXPECT_LT(waited, 2000);
  EXPECT_EQ(json::parse(timed.answer.body), json::parse(R"({"events":[],"next":1})"));
}

TEST_F(AdminEventsTest, LongPollWithNewerEventsAnswersAtOnce) {
  start();
  TestHttpClient client(address_);
  ASSERT_EQ(client.request("PUT", "/v1/routes/shop/weights", R"({"canary":7})").status, 200);
  const auto started = Clock::now();
  const auto answer = client.request("GET", "/v1/events?since=0&wait_ms=30000");
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(1));
  EXPECT_EQ(json::parse(answer.body).at("events").as_array().size(), 1u);
}

TEST_F(AdminEventsTest, StopEndsAWaitingLongPoll) {
  start();
  auto poll = std::async(std::launch::async, [address = address_] {
    TestHttpClient client(address, std::chrono::seconds(40));
    try {
      client.request("GET", "/v1/events?since=0&wait_ms=30000");
      return std::string("answered");
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  });
  ASSERT_TRUE(wait_for_long_polls(1));
  on_control_thread([&] { server_->stop(); });
  ASSERT_EQ(poll.wait_for(std::chrono::seconds(3)), std::future_status::ready)
      << "stop() must release a waiting long poll";
  EXPECT_NE(poll.get(), "answered") << "the connection is closed, not answered";
}

}  // namespace
}  // namespace switchyard::proxy::admin
