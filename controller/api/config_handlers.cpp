#include "controller/api/config_handlers.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>

#include "controller/engine/route_split.hpp"
#include "controller/proxies/proxy_fleet.hpp"

namespace switchyard::controller::api {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::chrono::milliseconds kProxyTimeout{2000};

std::string query_of(const ApiRequest& request, const char* key) {
  auto found = request.query.find(key);
  return found == request.query.end() ? std::string() : found->second;
}

// The heaviest version of each route's split on the first proxy that answers ("" = none).
struct LiveVersions {
  std::map<std::string, std::string> by_route;
};

// `except` (the version being started) is ignored on the first route only: the app's own.
LiveVersions live_versions(const std::vector<config::ProxyTarget>& targets, const std::vector<std::string>& routes,
                           const std::string& except) {
  LiveVersions out;
  proxies::ProxyFleet fleet(targets, {kProxyTimeout});
  for (const auto& route : routes) {
    auto& slot = out.by_route[route];
    for (const auto& outcome : fleet.get_route(route).outcomes) {
      if (!outcome.result.ok) continue;
      slot = engine::heaviest_version(engine::split_of(outcome.result.json), route == routes.front() ? except : "");
      break;
    }
  }
  return out;
}

}  // namespace

asio::awaitable<ApiResponse> start_looked_up(ApiContext& context, const engine::StartRequest& asked) {
  engine::StartRequest start = asked;
  const auto& config = context.engine.config();
  const auto* app = config.find_app(start.app);
  if (!app) co_return error_response(404, "unknown app '" + start.app + "'");
  const auto* env = config.find_environment(start.env);
  if (!env) co_return error_response(404, "unknown environment '" + start.env + "'");
  std::vector<std::string> routes{app->route};
  for (const auto& dependency : app->depends_on) {
    if (const auto* other = config.find_app(dependency.app)) routes.push_back(other->route);
  }
  // SPEC §6: the baseline is the version carrying the route's traffic when the rollout starts.
  // A named job: GCC 12 mishandles lambda temporaries inside co_await expressions.
  auto job = [targets = env->proxies, routes, version = start.version] {
    return live_versions(targets, routes, version);
  };
  auto live = co_await context.pool.run(std::move(job));
  start.baseline = live.by_route[app->route];
  for (const auto& dependency : app->depends_on) {
    if (const auto* other = config.find_app(dependency.app)) start.dependency_live[dependency.app] = live.by_route[other->route];
  }
  auto outcome = context.engine.start(start);
  if (const auto* error = std::get_if<engine::EngineError>(&outcome)) co_return error_response(error->status, error->message);
  co_return json_response(201, rollout_json(std::get<store::RolloutRow>(outcome), context.engine));
}

asio::awaitable<ApiResponse> promote_env(ApiContext& context, const ApiRequest& request, const std::string& app) {
  boost::system::error_code ec;
  auto body = json::parse(request.body, ec);
  if (ec || !body.is_object()) co_return error_response(400, "body must be a JSON object");
  const auto& fields = body.get_object();
  auto text = [&fields](const char* key) -> std::string {
    const auto* value = fields.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  engine::StartRequest start;
  start.app = app;
  start.actor = request.actor;
  start.promoted_from = text("from");
  start.env = text("to");
  start.version = text("version");
  start.reason = text("reason");
  if (const auto* force = fields.if_contains("force"); force && force->is_bool()) start.force = force->get_bool();
  if (start.promoted_from.empty()) co_return error_response(400, "from is required");
  if (start.env.empty()) co_return error_response(400, "to is required");
  if (start.promoted_from == start.env) co_return error_response(400, "from and to must differ");
  if (!context.engine.config().find_app(start.app)) co_return error_response(404, "unknown app '" + start.app + "'");
  if (!context.engine.config().find_environment(start.promoted_from)) {
    co_return error_response(404, "unknown environment '" + start.promoted_from + "'");
  }
  auto& store = context.engine.store();
  if (start.version.empty()) {
    auto last = store.last_succeeded_version(start.app, start.promoted_from);
    if (!last.ok()) co_return error_response(500, last.error());
    if (!last.value()) {
      co_return error_response(409, "nothing to promote: no rollout of " + start.app + " has succeeded in '" +
                                        start.promoted_from + "'");
    }
    start.version = *last.value();
  } else {
    auto done = store.has_succeeded(start.app, start.promoted_from, start.version);
    if (!done.ok()) co_return error_response(500, done.error());
    if (!done.value()) {
      start.refusals.push_back("version " + start.version + " of " + start.app + " has not succeeded in '" +
                               start.promoted_from + "'");
    }
  }
  co_return co_await start_looked_up(context, start);
}

ApiResponse show_config(ApiContext& context, const ApiRequest& request, const std::string& app_name) {
  const auto env_name = query_of(request, "env");
  const auto& config = context.engine.config();
  const auto* app = config.find_app(app_name);
  if (!app) return error_response(404, "unknown app '" + app_name + "'");
  if (env_name.empty()) return error_response(400, "env is required (?env=NAME)");
  if (!config.find_environment(env_name)) return error_response(404, "unknown environment '" + env_name + "'");
  // Secrets helper: pass SecretStore::current_versions(app->secrets) instead of {}.
  const auto rendered = context.engine.overlays().render(app_name, env_name, context.engine.secret_versions(app_name));
  json::object keys;
  for (const auto& [key, value] : rendered.vars) keys[key] = {{"value", value}, {"source", rendered.sources.at(key)}};
  json::object secrets;
  for (const auto& [name, version] : rendered.secret_versions) secrets[name] = version;
  json::array live_hashes;
  if (auto rows = context.engine.store().live_instances(); rows.ok()) {
    for (const auto& row : rows.value()) {
      if (row.app != app_name || row.env != env_name || row.config_hash.empty()) continue;
      if (std::find(live_hashes.begin(), live_hashes.end(), json::value(row.config_hash)) == live_hashes.end()) {
        live_hashes.push_back(json::value(row.config_hash));
      }
    }
  }
  return json_response(200, json::object{{"app", app_name}, {"env", env_name}, {"hash", rendered.hash},
                                          {"keys", keys}, {"secrets", secrets},
                                          {"file", json::parse(engine::vars_json(rendered.vars))},
                                          {"live_hashes", live_hashes}});
}

ApiResponse list_instances(ApiContext& context, const ApiRequest& request) {
  const auto app = query_of(request, "app");
  const auto env = query_of(request, "env");
  auto& store = context.engine.store();
  auto rows = store.live_instances();
  if (!rows.ok()) return error_response(500, rows.error());
  json::array out;
  for (const auto& row : rows.value()) {
    if ((!app.empty() && row.app != app) || (!env.empty() && row.env != env)) continue;
    json::value config = nullptr;
    if (!row.config_hash.empty()) {
      if (auto recorded = store.instance_config(row.config_hash); recorded.ok() && recorded.value()) {
        boost::system::error_code ec;
        auto parsed = json::parse(recorded.value()->rendered_json, ec);
        if (!ec) config = parsed;
      }
    }
    out.push_back({{"id", row.id}, {"app", row.app}, {"env", row.env}, {"version", row.version},
                   {"index", row.instance_index}, {"pid", row.pid}, {"port", row.port}, {"state", row.state},
                   {"config_hash", row.config_hash.empty() ? json::value(nullptr) : json::value(row.config_hash)},
                   {"config", config}, {"started_ms", row.started_at}});
  }
  return json_response(200, json::object{{"instances", out}});
}

}  // namespace switchyard::controller::api
