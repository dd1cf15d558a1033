// GET /v1/rollouts/{id} "hooks" and GET /v1/notifications (docs/controller-api.md).
#include "controller/api/api_handlers.hpp"
#include "controller/engine/notifier.hpp"

namespace switchyard::controller::api {

namespace json = boost::json;

json::array hook_runs_json(store::StateStore& store, std::int64_t rollout_id) {
  json::array out;
  auto rows = store.hook_runs(rollout_id);
  if (!rows.ok()) return out;
  for (const auto& r : rows.value()) {
    out.push_back({{"id", r.id},
                   {"phase", r.phase},
                   {"hook_index", r.hook_index},
                   {"kind", r.kind},
                   {"target", r.target},
                   {"started_at_ms", r.started_at},
                   {"duration_ms", r.duration_ms},
                   {"ok", r.ok},
                   {"exit_code", r.exit_code ? json::value(*r.exit_code) : nullptr},
                   {"http_status", r.http_status ? json::value(*r.http_status) : nullptr},
                   {"output", r.output},
                   {"error", r.error}});
  }
  return out;
}

ApiResponse list_notifications(const ApiContext& context) {
  json::array webhooks;
  if (context.notifier) {
    for (const auto& s : context.notifier->stats()) {
      webhooks.push_back({{"name", s.name},
                          {"url", s.url},
                          {"sent", s.sent},
                          {"failed", s.failed},
                          {"dropped", s.dropped},
                          {"retries", s.retries},
                          {"queued", s.queued},
                          {"last_error", s.last_error},
                          {"last_sent_at_ms", s.last_sent_at}});
    }
  }
  return json_response(200, json::object{{"webhooks", webhooks}});
}

}  // namespace switchyard::controller::api
