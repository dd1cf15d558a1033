// The hook keys and the `notifications:` section added by issue 6 (docs/hooks.md,
// docs/notifications.md): decoded values, and each bad snippet refused with its one-line message.
#include <gtest/gtest.h>

#include <variant>

#include "config/load_controller_config.hpp"

namespace switchyard::config {
namespace {

const std::string kApp =
    "environments:\n  - {name: staging, proxies: [{admin: 127.0.0.1:9901}]}\n"
    "apps:\n  - name: shop\n    route: shop\n    driver: {command: \"backend --port {port}\"}\n";

std::string error_of(const std::string& yaml) {
  auto result = parse_controller_config(yaml, "controller.yaml");
  if (auto* error = std::get_if<ConfigError>(&result)) return error->message;
  return "<valid>";
}

ControllerConfig parsed(const std::string& yaml) {
  auto result = parse_controller_config(yaml, "controller.yaml");
  if (auto* error = std::get_if<ConfigError>(&result)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  return std::get<ControllerConfig>(std::move(result));
}

TEST(HooksConfig, NewPhasesAndHttpOptions) {
  auto config = parsed(kApp +
                       "    hooks:\n"
                       "      pre_traffic: [{run: ./smoke.sh}]\n"
                       "      on_rollback: [{http: \"http://127.0.0.1:1/rb\", method: post, expect_status: [200, 204],\n"
                       "                     body: '{\"v\":\"{version}\"}', headers: {X-Token: abc}}]\n"
                       "      per_step: [{http: \"http://127.0.0.1:1/gate\", expect_status: 202}]\n");
  const auto& hooks = config.apps.at(0).hooks;
  ASSERT_EQ(hooks.pre_traffic.size(), 1u);
  EXPECT_EQ(hooks.pre_traffic[0].run, "./smoke.sh");
  ASSERT_EQ(hooks.on_rollback.size(), 1u);
  EXPECT_EQ(hooks.on_rollback[0].method, "POST");
  EXPECT_EQ(hooks.on_rollback[0].expect_status, (std::vector<std::uint32_t>{200, 204}));
  EXPECT_EQ(hooks.on_rollback[0].body, "{\"v\":\"{version}\"}");
  EXPECT_EQ(hooks.on_rollback[0].headers.at("X-Token"), "abc");
  EXPECT_EQ(hooks.per_step[0].method, "GET");
  EXPECT_EQ(hooks.per_step[0].expect_status, (std::vector<std::uint32_t>{202}));
}

TEST(NotificationsConfig, DefaultsAndValues) {
  auto config = parsed(kApp +
                       "notifications:\n  webhooks:\n"
                       "    - url: http://127.0.0.1:8080/hook\n"
                       "    - {name: chat, url: \"http://10.0.0.1/x\", format: slack, events: [rollout_failed],\n"
                       "       timeout_ms: 500, retries: 2, backoff_ms: 100, queue_limit: 10, headers: {X-A: b}}\n"
                       "    - {name: t, url: \"http://10.0.0.1/y\", text: true}\n");
  const auto& hooks = config.notifications.webhooks;
  ASSERT_EQ(hooks.size(), 3u);
  EXPECT_EQ(hooks[0].name, "http://127.0.0.1:8080/hook");
  EXPECT_EQ(hooks[0].format, "json");
  EXPECT_TRUE(hooks[0].events.empty());
  EXPECT_EQ(hooks[0].timeout_ms, 2000u);
  EXPECT_EQ(hooks[0].retries, 5u);
  EXPECT_EQ(hooks[0].backoff_ms, 200u);
  EXPECT_EQ(hooks[1].format, "slack");
  EXPECT_EQ(hooks[1].events, (std::vector<std::string>{"rollout_failed"}));
  EXPECT_EQ(hooks[1].timeout_ms, 500u);
  EXPECT_EQ(hooks[1].retries, 2u);
  EXPECT_EQ(hooks[1].queue_limit, 10u);
  EXPECT_EQ(hooks[1].headers.at("X-A"), "b");
  EXPECT_EQ(hooks[2].format, "slack");
}

struct Bad {
  std::string name;
  std::string yaml;
  std::string expected;
};

class BadHooksNotifications : public ::testing::TestWithParam<Bad> {};

TEST_P(BadHooksNotifications, IsRefusedWithExactMessage) { EXPECT_EQ(error_of(GetParam().yaml), GetParam().expected); }

const std::string kNotify = kApp + "notifications:\n  webhooks:\n";

INSTANTIATE_TEST_SUITE_P(
    Table, BadHooksNotifications,
    ::testing::Values(
        Bad{"MethodOnRunHook", kApp + "    hooks: {pre_deploy: [{run: a, method: POST}]}\n",
            "controller.yaml: apps[0].hooks.pre_deploy[0].method: only applies to an http hook"},
        Bad{"BadMethod", kApp + "    hooks: {pre_traffic: [{http: \"http://x/\", method: FETCH}]}\n",
            "controller.yaml: apps[0].hooks.pre_traffic[0].method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD"},
        Bad{"StatusOutOfRange", kApp + "    hooks: {on_rollback: [{http: \"http://x/\", expect_status: [200, 700]}]}\n",
            "controller.yaml: apps[0].hooks.on_rollback[0].expect_status[1]: must be <= 599"},
        Bad{"OnRollbackNotHttpUrl", kApp + "    hooks: {on_rollback: [{http: \"https://x/\"}]}\n",
            "controller.yaml: apps[0].hooks.on_rollback[0].http: must be an http:// URL, got 'https://x/'"},
        Bad{"WebhookNoUrl", kNotify + "    - {name: a}\n", "controller.yaml: notifications.webhooks[0].url: is required"},
        Bad{"WebhookHttps", kNotify + "    - {url: \"https://hooks.example/x\"}\n",
            "controller.yaml: notifications.webhooks[0].url: must be an http:// URL, got 'https://hooks.example/x'"},
        Bad{"WebhookUnknownEvent", kNotify + "    - {url: \"http://h/\", events: [rollout_started, deployed]}\n",
            "controller.yaml: notifications.webhooks[0].events[1]: unknown event 'deployed'"},
        Bad{"WebhookBadFormat", kNotify + "    - {url: \"http://h/\", format: xml}\n",
            "controller.yaml: notifications.webhooks[0].format: must be json or slack"},
        Bad{"WebhookZeroTimeout", kNotify + "    - {url: \"http://h/\", timeout_ms: 0}\n",
            "controller.yaml: notifications.webhooks[0].timeout_ms: must be > 0"},
        Bad{"WebhookDuplicateName", kNotify + "    - {name: a, url: \"http://h/\"}\n    - {name: a, url: \"http://i/\"}\n",
            "controller.yaml: notifications.webhooks[1]: duplicate webhook name 'a'"},
        Bad{"WebhookUnknownKey", kNotify + "    - {url: \"http://h/\", secret: x}\n",
            "controller.yaml: notifications.webhooks[0].secret: unknown key"},
        Bad{"NotificationsUnknownKey", kApp + "notifications: {email: [a]}\n",
            "controller.yaml: notifications.email: unknown key"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace switchyard::config
