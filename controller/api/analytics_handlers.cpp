// The analytics calls: query parameters -> HistoryQuery -> figures -> JSON or exposition text.
#include "controller/api/analytics_handlers.hpp"

#include "common/version.hpp"
#include "controller/analytics/figures.hpp"
#include "controller/analytics/prometheus.hpp"
#include "controller/analytics/report_json.hpp"
#include "controller/analytics/since.hpp"

namespace switchyard::controller::api {

ApiResponse get_analytics(ApiContext& context, const ApiRequest& request) {
  auto get = [&request](const char* key) {
    auto found = request.query.find(key);
    return found == request.query.end() ? std::string() : found->second;
  };
  const auto now = engine::now_ms();
  analytics::HistoryQuery query;
  query.app = get("app");
  query.env = get("env");
  if (auto since = get("since"); !since.empty()) {
    std::string error;
    auto parsed = analytics::parse_since(since, now, error);
    if (!parsed) return error_response(400, error);
    query.since_ms = *parsed;
  }
  auto history = context.engine.store().analytics_history(query);
  if (!history.ok()) return error_response(500, history.error());
  return json_response(200, analytics::report_json(analytics::compute_report(history.value(), query.since_ms, now)));
}

ApiResponse get_metrics(ApiContext& context) {
  auto history = context.engine.store().analytics_history({});
  if (!history.ok()) return error_response(500, history.error());
  analytics::MetricsInput input;
  input.history = &history.value();
  for (const auto& app : context.engine.config().apps) input.apps.push_back(app.name);
  for (const auto& env : context.engine.config().environments) input.envs.push_back(env.name);
  input.version = std::string(switchyard::version());
  ApiResponse response;
  response.body = analytics::render_metrics(input);
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return response;
}

}  // namespace switchyard::controller::api
