#include "config/decode_notifications.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "config/controller_rules.hpp"

namespace switchyard::config {
namespace {

constexpr std::array<std::string_view, 6> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
// The kinds RolloutEngine::record_event records (docs/controller-api.md "Events").
constexpr std::array<std::string_view, 10> kEvents{
    "rollout_started",   "rollout_step",   "rollout_paused",  "rollout_resumed", "rollout_rolling_back",
    "rollout_succeeded", "rollout_failed", "rollout_aborted", "drift_found",     "hook_failed"};
constexpr rules::Range kStatus{100, 599};
constexpr rules::Range kTimeoutMs{1, 600'000};
constexpr rules::Range kRetries{0, 100};
constexpr rules::Range kBackoffMs{1, 60'000};
constexpr rules::Range kQueueLimit{1, 1'000'000};

std::map<std::string, std::string> header_map(const YamlReader& node) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : node.entries()) {
    const bool token = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
    if (!token) node.fail("header name '" + key + "' is not a valid HTTP field name");
    auto text = value.string();
    if (text.find_first_of("\r\n") != std::string::npos) value.fail("must not contain a line break");
    out.emplace(key, std::move(text));
  }
  return out;
}

std::string http_url(const YamlReader& node) {
  auto url = node.string();
  if (url.rfind("http://", 0) != 0 || url.size() <= 7) node.fail("must be an http:// URL, got '" + url + "'");
  return url;
}

WebhookConfig decode_webhook(const YamlReader& node) {
  node.expect_map({"name", "url", "events", "format", "text", "timeout_ms", "retries", "backoff_ms",
                   "queue_limit", "headers"});
  WebhookConfig hook;
  hook.url = http_url(node.required("url"));
  hook.name = hook.url;
  if (auto name = node.optional("name")) hook.name = name->string();
  if (auto events = node.optional("events")) {
    for (const auto& event : events->list()) {
      auto kind = event.string();
      if (!is_notification_event(kind)) event.fail("unknown event '" + kind + "'");
      hook.events.push_back(std::move(kind));
    }
  }
  if (auto format = node.optional("format")) {
    hook.format = format->string();
    if (hook.format != "json" && hook.format != "slack") format->fail("must be json or slack");
  }
  if (auto text = node.optional("text")) {
    const auto flag = text->string();
    if (flag != "true" && flag != "false") text->fail("must be true or false");
    if (flag == "true") hook.format = "slack";
  }
  if (auto v = node.optional("timeout_ms")) hook.timeout_ms = v->u32(kTimeoutMs);
  if (auto v = node.optional("retries")) hook.retries = v->u32(kRetries);
  if (auto v = node.optional("backoff_ms")) hook.backoff_ms = v->u32(kBackoffMs);
  if (auto v = node.optional("queue_limit")) hook.queue_limit = v->u32(kQueueLimit);
  if (auto headers = node.optional("headers")) hook.headers = header_map(*headers);
  return hook;
}

}  // namespace

bool is_notification_event(std::string_view kind) {
  return std::find(kEvents.begin(), kEvents.end(), kind) != kEvents.end();
}

void decode_hook_http(const YamlReader& node, HookConfig& hook) {
  for (const auto key : {"method", "expect_status", "body", "headers"}) {
    if (hook.http.empty() && node.has(key)) node.required(key).fail("only applies to an http hook");
  }
  if (auto method = node.optional("method")) {
    hook.method = method->string();
    std::transform(hook.method.begin(), hook.method.end(), hook.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (std::find(kMethods.begin(), kMethods.end(), hook.method) == kMethods.end()) {
      method->fail("must be one of GET, POST, PUT, PATCH, DELETE, HEAD");
    }
  }
  if (auto expect = node.optional("expect_status")) {
    if (expect->is_list()) {
      for (const auto& status : expect->list()) hook.expect_status.push_back(status.u32(kStatus));
      if (hook.expect_status.empty()) expect->fail("must not be empty");
    } else {
      hook.expect_status.push_back(expect->u32(kStatus));
    }
  }
  if (auto body = node.optional("body")) hook.body = body->string();
  if (auto headers = node.optional("headers")) hook.headers = header_map(*headers);
}

NotificationsConfig decode_notifications(const YamlReader& node) {
  node.expect_map({"webhooks"});
  NotificationsConfig out;
  std::set<std::string> names;
  if (auto webhooks = node.optional("webhooks")) {
    for (const auto& item : webhooks->list()) {
      out.webhooks.push_back(decode_webhook(item));
      if (!names.insert(out.webhooks.back().name).second) {
        item.fail("duplicate webhook name '" + out.webhooks.back().name + "'");
      }
    }
  }
  return out;
}

}  // namespace switchyard::config
