// WebhookSender and the payload (docs/notifications.md) against a real HTTP receiver.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "controller/engine/notifier.hpp"
#include "controller/engine/webhook_payload.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace switchyard::controller::engine {
namespace {

using namespace std::chrono_literals;

config::WebhookConfig webhook(const std::string& url) {
  config::WebhookConfig hook;
  hook.name = "test";
  hook.url = url;
  hook.backoff_ms = 20;
  hook.timeout_ms = 1000;
  return hook;
}

store::EventRow event(std::int64_t seq, const std::string& kind) {
  store::EventRow row;
  row.seq = seq;
  row.at = 1'700'000'000'123;
  row.kind = kind;
  row.app = "shop";
  row.env = "prod";
  row.rollout_id = 3;
  row.detail_json = R"({"version":"v2","baseline":"v1","weight":50,"reason":"promoted to 100%"})";
  return row;
}

TEST(WebhookSenderTest, RetriesAfter503AndDeliversInOrder) {
  test::WebhookReceiver receiver([](std::size_t n) { return n < 2 ? 503 : 200; });
  WebhookSender sender(webhook(receiver.url()));
  for (int i = 0; i < 5; ++i) sender.enqueue("{\"n\":" + std::to_string(i) + "}");
  ASSERT_TRUE(receiver.wait_for(7, 5s));
  const auto got = receiver.requests();
  EXPECT_EQ(got[0].body, "{\"n\":0}");
  EXPECT_EQ(got[2].body, "{\"n\":0}");  // the third attempt of the first event
  for (int i = 1; i < 5; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i) + 2].body, "{\"n\":" + std::to_string(i) + "}");
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].headers.at("content-type"), "application/json");
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (sender.stats().sent < 5 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  const auto stats = sender.stats();
  EXPECT_EQ(stats.sent, 5u);
  EXPECT_EQ(stats.retries, 2u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.last_error, "status 503");
}

TEST(WebhookSenderTest, ClientErrorIsNotRetriedButTooManyRequestsIs) {
  test::WebhookReceiver receiver([](std::size_t n) { return n == 0 ? 400 : n == 1 ? 429 : 200; });
  WebhookSender sender(webhook(receiver.url()));
  sender.enqueue("{}");
  sender.enqueue("{}");
  ASSERT_TRUE(receiver.wait_for(3, 5s));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(receiver.count(), 3u);
  const auto stats = sender.stats();
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.sent, 1u);
  EXPECT_EQ(stats.retries, 1u);
}

TEST(WebhookSenderTest, HangingReceiverNeverBlocksEnqueueAndTheQueueDropsTheOldest) {
  test::WebhookReceiver receiver([](std::size_t) { return -1; });
  auto config = webhook(receiver.url());
  config.queue_limit = 10;
  config.timeout_ms = 500;
  WebhookSender sender(config);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) sender.enqueue("{}");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_GE(sender.stats().dropped, 89u);
  ASSERT_TRUE(receiver.wait_for(1, 2s));  // an attempt is in flight, held by the receiver
  const auto stopping = std::chrono::steady_clock::now();
  sender.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 2s);  // bounded by one request's timeout
  EXPECT_EQ(sender.stats().sent, 0u);
  EXPECT_EQ(sender.stats().queued, 0u);
}

TEST(WebhookSenderTest, RefusedConnectionIsRetriedThenCountedAsFailed) {
  std::string url;
  {
    test::WebhookReceiver closed;
    url = closed.url();
  }
  auto config = webhook(url);
  config.retries = 2;
  WebhookSender sender(config);
  sender.enqueue("{}");
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (sender.stats().failed == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  const auto stats = sender.stats();
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.retries, 2u);
  EXPECT_NE(stats.last_error.find("refused"), std::string::npos) << stats.last_error;
}

TEST(WebhookPayloadTest, JsonBodyAndSlackText) {
  auto hook = webhook("http://127.0.0.1:1/");
  auto body = boost::json::parse(webhook_payload(event(9, "rollout_succeeded"), hook)).as_object();
  EXPECT_EQ(body.at("event").as_string(), "rollout_succeeded");
  EXPECT_EQ(body.at("app").as_string(), "shop");
  EXPECT_EQ(body.at("env").as_string(), "prod");
  EXPECT_EQ(body.at("rollout_id").as_int64(), 3);
  EXPECT_EQ(body.at("seq").as_int64(), 9);
  EXPECT_EQ(body.at("at").as_string(), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(body.at("detail").at("version").as_string(), "v2");
  EXPECT_FALSE(body.contains("text"));
  hook.format = "slack";
  body = boost::json::parse(webhook_payload(event(9, "rollout_succeeded"), hook)).as_object();
  EXPECT_EQ(body.at("text").as_string(), "shop/prod: rollout 3 of v2 promoted (promoted to 100%)");
}

TEST(NotifierTest, OnlySubscribedEventsAreSent) {
  test::WebhookReceiver receiver;
  config::NotificationsConfig config;
  config.webhooks.push_back(webhook(receiver.url()));
  config.webhooks.back().events = {"rollout_failed"};
  Notifier notifier(config);
  notifier.notify(event(1, "rollout_started"));
  notifier.notify(event(2, "rollout_failed"));
  ASSERT_TRUE(receiver.wait_for(1, 5s));
  std::this_thread::sleep_for(100ms);
  ASSERT_EQ(receiver.count(), 1u);
  EXPECT_NE(receiver.requests()[0].body.find("rollout_failed"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::controller::engine
