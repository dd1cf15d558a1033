// The dashboard's page, series and timeline calls.
#include "controller/api/dashboard_handlers.hpp"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "controller/dashboard/assets.hpp"
#include "controller/dashboard/stats_sampler.hpp"

namespace switchyard::controller::api {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDefaultEvents = 100;
constexpr std::int64_t kMaxEvents = 1000;

std::optional<std::int64_t> int_param(const ApiRequest& request, const char* key) {
  const auto found = request.query.find(key);
  if (found == request.query.end()) return std::nullopt;
  const auto& text = found->second;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string text_param(const ApiRequest& request, const char* key) {
  const auto found = request.query.find(key);
  return found == request.query.end() ? std::string() : found->second;
}

json::object series_json(const dashboard::RouteSeries& series) {
  json::array split;
  for (const auto& entry : series.split) split.push_back({{"version", entry.version}, {"weight", entry.weight}});
  json::object versions;
  for (const auto& [version, points] : series.versions) {
    json::array out;
    out.reserve(points.size());
    for (const auto& p : points) {
      out.push_back({{"t", p.at_ms}, {"rps", p.rps}, {"error_rate", p.error_rate}, {"p99_ms", p.p99_ms},
                     {"requests", p.requests}});
    }
    versions[version] = std::move(out);
  }
  return {{"split", split},
          {"guard", series.guard},
          {"split_at_ms", series.split_at_ms},
          {"window_ms", series.window_ms},
          {"proxies", series.proxies},
          {"proxies_ok", series.proxies_ok},
          {"versions", versions}};
}

json::object event_json(const store::EventRow& row) {
  boost::system::error_code ec;
  auto detail = json::parse(row.detail_json, ec);
  return {{"seq", row.seq},
          {"at_ms", row.at},
          {"kind", row.kind},
          {"app", row.app},
          {"env", row.env},
          {"rollout_id", row.rollout_id ? json::value(*row.rollout_id) : json::value(nullptr)},
          {"detail", ec ? json::value(json::object()) : detail}};
}

}  // namespace

std::optional<ApiResponse> serve_dashboard(const ApiRequest& request) {
  if (request.method != "GET") return std::nullopt;
  std::string_view path = request.path;
  if (path != "/" && path != "/index.html" && !path.starts_with("/static/")) return std::nullopt;
  if (path.starts_with("/static/")) path.remove_prefix(std::string_view("/static").size());
  const auto* asset = dashboard::find_asset(path);
  if (!asset) return error_response(404, "no such file: " + request.path);
  ApiResponse response{200, std::string(asset->bytes), std::string(asset->content_type)};
  // Small files that change with the binary: revalidate each load rather than risk a stale page.
  response.headers = {{"Cache-Control", "no-cache"},
                      {"X-Content-Type-Options", "nosniff"},
                      {"Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                       "frame-ancestors 'none'"}};
  return response;
}

ApiResponse get_series(const ApiContext& context, const ApiRequest& request) {
  if (!context.sampler) return error_response(503, "the controller samples no series");
  const auto env = text_param(request, "env");
  const auto route = text_param(request, "route");
  if (env.empty() || route.empty()) return error_response(400, "env and route are required");
  std::int64_t since = 0;
  if (request.query.contains("since_ms")) {
    const auto parsed = int_param(request, "since_ms");
    if (!parsed || *parsed < 0) return error_response(400, "since_ms must be a non-negative integer");
    since = *parsed;
  }
  const auto series = context.sampler->series(env, route, since);
  if (!series) return error_response(404, "no series for route '" + route + "' in environment '" + env + "'");
  auto out = series_json(*series);
  out["env"] = env;
  out["route"] = route;
  out["interval_ms"] = 1000;
  return json_response(200, out);
}

void record_weights_event(ApiContext& context, const std::string& env, const std::string& route,
                          const json::object& weights, const json::array& outcomes) {
  store::EventRow row;
  row.at = engine::now_ms();
  row.kind = "weights_set";
  row.env = env;
  for (const auto& app : context.engine.config().apps) {
    if (app.route == route) row.app = app.name;
  }
  bool applied = !outcomes.empty();
  for (const auto& outcome : outcomes) {
    const auto* ok = outcome.is_object() ? outcome.get_object().if_contains("ok") : nullptr;
    applied = applied && ok && ok->is_bool() && ok->get_bool();
  }
  row.detail_json = json::serialize(json::object{{"route", route}, {"weights", weights}, {"applied", applied}});
  context.engine.record_event(std::move(row));
}

ApiResponse list_events(ApiContext& context, const ApiRequest& request) {
  std::int64_t limit = kDefaultEvents;
  if (request.query.contains("limit")) {
    const auto parsed = int_param(request, "limit");
    if (!parsed || *parsed <= 0 || *parsed > kMaxEvents) {
      return error_response(400, "limit must be an integer 1.." + std::to_string(kMaxEvents));
    }
    limit = *parsed;
  }
  auto& store = context.engine.store();
  store::Result<std::vector<store::EventRow>> rows = std::vector<store::EventRow>{};
  if (request.query.contains("after")) {
    const auto after = int_param(request, "after");
    if (!after || *after < 0) return error_response(400, "after must be a non-negative integer");
    rows = store.events_since(*after, limit);
  } else {
    rows = store.latest_events(limit);
  }
  if (!rows.ok()) return error_response(500, rows.error());
  json::array events;
  for (const auto& row : rows.value()) events.push_back(event_json(row));
  const std::int64_t last = rows.value().empty() ? int_param(request, "after").value_or(0) : rows.value().back().seq;
  return json_response(200, json::object{{"events", events}, {"last_seq", last}});
}

}  // namespace switchyard::controller::api
