// Webhooks end to end (docs/notifications.md): a real controller POSTs every event of a promoted
// and of a failed canary to receivers started here, in order; a flaky receiver gets them after
// retries; a hanging one and a refusing one do not slow the rollout; the slack format adds text.
#include <gtest/gtest.h>

#include "tests/controller/engine/controller_fixture.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

// The event kinds of `rollout_id`, in the order the receiver got them (first delivery only).
std::vector<std::string> kinds_of(const WebhookReceiver& receiver, std::int64_t rollout_id) {
  std::vector<std::string> out;
  std::int64_t last_seq = 0;
  for (const auto& request : receiver.requests()) {
    auto body = boost::json::parse(request.body).as_object();
    const auto seq = body.at("seq").as_int64();
    if (seq <= last_seq) continue;  // a retry of what came before
    last_seq = seq;
    if (body.at("rollout_id").is_int64() && body.at("rollout_id").as_int64() == rollout_id) {
      out.emplace_back(body.at("event").as_string());
    }
  }
  return out;
}

boost::json::object webhook_stats(const boost::json::value& answer, const std::string& name) {
  for (const auto& hook : answer.at("webhooks").as_array()) {
    if (hook.at("name").as_string() == name) return hook.as_object();
  }
  return {};
}

class ControllerNotificationsTest : public CustomControllerFixture {};

TEST_F(ControllerNotificationsTest, EveryEventInOrderRetriedAndNeverBlockingTheRollout) {
  WebhookReceiver plain;
  WebhookReceiver slack;
  WebhookReceiver flaky([](std::size_t n) { return n < 2 ? 503 : 200; });
  WebhookReceiver hanging([](std::size_t) { return -1; });
  std::string refused_url;
  {
    WebhookReceiver closed;
    refused_url = closed.url();
  }
  start_proxy(false);
  ControllerYaml spec;
  spec.envs = {{"test", proxy_->admin_port(), ""}};
  spec.port_base = 33300;
  config_path_ = dir_.write_file(
      "controller.yaml",
      controller_yaml(dir_.path(), spec) +
          "notifications:\n  webhooks:\n"
          "    - { name: plain, url: '" + plain.url() + "', headers: { X-Team: payments } }\n"
          "    - { name: slack, url: '" + slack.url() + "', format: slack, events: [rollout_succeeded, rollout_failed] }\n"
          "    - { name: flaky, url: '" + flaky.url() + "', backoff_ms: 50 }\n"
          "    - { name: hanging, url: '" + hanging.url() + "', timeout_ms: 5000, retries: 3 }\n"
          "    - { name: refused, url: '" + refused_url + "', backoff_ms: 50, retries: 2 }\n");
  start_controller();
  start_traffic();

  const auto good = start_rollout("v2");
  ASSERT_EQ(wait_finished(good, 40s), "succeeded") << controller_->output();
  const auto bad = start_rollout("v3");
  ASSERT_EQ(wait_finished(bad, 40s), "failed") << controller_->output();

  // A hanging receiver would cost >= 4 x 5 s per event if it blocked anything: the rollout of
  // two 1 s steps finished well before one such event could have been given up on.
  const auto row = rollout(good);
  const auto duration_ms = row.at("finished_ms").as_int64() - row.at("started_ms").as_int64();
  std::printf("[ metric ] canary with a hanging and a refusing webhook: %lld ms\n", static_cast<long long>(duration_ms));
  EXPECT_LT(duration_ms, 15000);

  const std::vector<std::string> promoted{"rollout_started", "rollout_step", "rollout_step", "rollout_succeeded"};
  const std::vector<std::string> failed{"rollout_started", "rollout_step", "rollout_rolling_back", "rollout_failed"};
  ASSERT_TRUE(eventually([&] { return kinds_of(plain, bad).size() >= failed.size(); }, 10s));
  EXPECT_EQ(kinds_of(plain, good), promoted);
  EXPECT_EQ(kinds_of(plain, bad), failed);
  ASSERT_TRUE(eventually([&] { return kinds_of(flaky, bad).size() >= failed.size(); }, 10s));
  EXPECT_EQ(kinds_of(flaky, good), promoted);  // the first one after two 503s
  EXPECT_EQ(kinds_of(flaky, bad), failed);

  // The JSON body: names, time, step weights, and the configured header.
  const auto requests = plain.requests();
  auto first = boost::json::parse(requests[0].body).as_object();
  EXPECT_EQ(first.at("app").as_string(), "shop");
  EXPECT_EQ(first.at("env").as_string(), "test");
  EXPECT_EQ(first.at("detail").at("version").as_string(), "v2");
  EXPECT_TRUE(std::string(first.at("at").as_string()).ends_with("Z"));
  EXPECT_FALSE(first.contains("text"));
  EXPECT_EQ(requests[0].headers.at("x-team"), "payments");
  auto step = boost::json::parse(requests[1].body).as_object();
  EXPECT_EQ(step.at("detail").at("weight").as_int64(), 50);

  // Slack format: only the subscribed outcomes, each with a text line.
  ASSERT_TRUE(slack.wait_for(2, 10s));
  const auto texts = slack.requests();
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(boost::json::parse(texts[0].body).at("text").as_string(),
            "shop/test: rollout " + std::to_string(good) + " of v2 promoted (promoted to 100%)");
  EXPECT_NE(std::string(boost::json::parse(texts[1].body).at("text").as_string()).find("of v3 FAILED"),
            std::string::npos);

  // Delivery outcomes per webhook.
  auto answer = api("GET", "/v1/notifications");
  auto stats = webhook_stats(answer, "plain");
  EXPECT_EQ(stats.at("sent").as_int64(), 8);
  EXPECT_EQ(stats.at("failed").as_int64(), 0);
  EXPECT_GE(webhook_stats(answer, "flaky").at("retries").as_int64(), 2);
  EXPECT_EQ(webhook_stats(answer, "hanging").at("sent").as_int64(), 0);
  ASSERT_TRUE(eventually(
      [&] { return webhook_stats(api("GET", "/v1/notifications"), "refused").at("failed").as_int64() >= 1; }, 10s));
  EXPECT_NE(std::string(webhook_stats(api("GET", "/v1/notifications"), "refused").at("last_error").as_string())
                .find("refused"),
            std::string::npos);
}

}  // namespace
}  // namespace switchyard::test
