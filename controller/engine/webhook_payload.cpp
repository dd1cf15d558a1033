#include "controller/engine/webhook_payload.hpp"

#include <ctime>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace switchyard::controller::engine {
namespace {

std::string field(const boost::json::object& detail, const char* key) {
  const auto* value = detail.if_contains(key);
  if (!value) return {};
  if (value->is_string()) return std::string(value->get_string());
  return boost::json::serialize(*value);
}

// What happened, in words, per stored kind (docs/notifications.md maps kinds to the words).
std::string what(const std::string& kind, const boost::json::object& d) {
  const auto reason = field(d, "reason");
  const auto because = reason.empty() ? "" : " (" + reason + ")";
  if (kind == "rollout_started") return "started (baseline " + field(d, "baseline") + ")";
  if (kind == "rollout_step") return "stepped to " + field(d, "weight") + "%";
  if (kind == "rollout_paused") return "paused at " + field(d, "weight") + "%";
  if (kind == "rollout_resumed") return "resumed at " + field(d, "weight") + "%";
  if (kind == "rollout_rolling_back") return "rolling back to " + field(d, "baseline") + because;
  if (kind == "rollout_succeeded") return "promoted" + because;
  if (kind == "rollout_failed") return "FAILED" + because;
  if (kind == "rollout_aborted") return "aborted" + because;
  if (kind == "hook_failed") return field(d, "phase") + " hook failed: " + field(d, "error");
  return kind;
}

}  // namespace

std::string rfc3339_utc(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms % 1000));
  return out;
}

std::string event_summary(const store::EventRow& event) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(event.detail_json, ec);
  const boost::json::object detail = !ec && parsed.is_object() ? parsed.get_object() : boost::json::object{};
  std::string subject = event.app + "/" + event.env + ": ";
  if (event.rollout_id) {
    subject += "rollout " + std::to_string(*event.rollout_id);
    if (auto version = field(detail, "version"); !version.empty()) subject += " of " + version;
    subject += " ";
  }
  return subject + what(event.kind, detail);
}

std::string webhook_payload(const store::EventRow& event, const config::WebhookConfig& webhook) {
  boost::system::error_code ec;
  auto detail = boost::json::parse(event.detail_json, ec);
  boost::json::object body{{"event", event.kind},
                           {"app", event.app},
                           {"env", event.env},
                           {"rollout_id", event.rollout_id ? boost::json::value(*event.rollout_id) : nullptr},
                           {"at", rfc3339_utc(event.at)},
                           {"seq", event.seq},
                           {"detail", ec || !detail.is_object() ? boost::json::value(boost::json::object{}) : detail}};
  if (webhook.format == "slack") body["text"] = event_summary(event);
  return boost::json::serialize(body);
}

}  // namespace switchyard::controller::engine
