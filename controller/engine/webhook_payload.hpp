#pragma once
// The JSON body a webhook receives for one recorded event (docs/notifications.md):
// {event, app, env, rollout_id, at (RFC 3339 UTC), seq, detail{...}} plus, for the slack format,
// a one-line `text` summary. Pure functions, any thread.

#include <string>

#include "config/controller_config.hpp"
#include "controller/store/rows.hpp"

namespace switchyard::controller::engine {

std::string webhook_payload(const store::EventRow& event, const config::WebhookConfig& webhook);
// "2026-11-27T17:11:12.345Z"
std::string rfc3339_utc(std::int64_t ms);
// The slack-format `text`: e.g. "shop/prod: rollout 7 of v2 succeeded (promoted to 100%)".
std::string event_summary(const store::EventRow& event);

}  // namespace switchyard::controller::engine
