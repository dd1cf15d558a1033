// The calls of docs/controller-api.md. Proxy calls go through the BlockingPool.
#include "controller/api/api_handlers.hpp"

#include <charconv>
#include <optional>
#include <regex>

#include <boost/json/parse.hpp>

#include "config/config_rules.hpp"
#include "controller/api/analytics_handlers.hpp"
#include "controller/api/config_handlers.hpp"
#include "controller/api/dashboard_handlers.hpp"
#include "controller/api/drift_handlers.hpp"
#include "controller/engine/route_split.hpp"
#include "controller/proxies/proxy_fleet.hpp"

namespace switchyard::controller::api {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::chrono::milliseconds kProxyTimeout{2000};

std::optional<std::int64_t> to_int(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

ApiResponse from_outcome(const engine::RolloutOutcome& outcome, engine::RolloutEngine& engine, int ok_status) {
  if (const auto* error = std::get_if<engine::EngineError>(&outcome)) return error_response(error->status, error->message);
  return json_response(ok_status, rollout_json(std::get<store::RolloutRow>(outcome), engine));
}

std::optional<std::string> live_version(engine::RolloutEngine& engine, const std::string& app, const std::string& env) {
  auto rows = engine.store().list_rollouts(app, 1000);
  if (!rows.ok()) return std::nullopt;
  for (const auto& row : rows.value()) {
    if (row.env == env && row.result && *row.result == store::kResultSucceeded) return row.version;
  }
  return std::nullopt;
}

asio::awaitable<ApiResponse> list_envs(ApiContext& context) {
  const auto& config = context.engine.config();
  // A named job: GCC 12 mishandles lambda temporaries inside co_await expressions.
  auto job = [&config] {
    json::array out;
    for (const auto& env : config.environments) {
      json::array requires_envs(env.requires_envs.begin(), env.requires_envs.end());
      json::array proxies;
      for (const auto& target : env.proxies) {
        proxies::ProxyClient client(target, {std::chrono::milliseconds(1000)});
        auto health = client.healthz();
        proxies.push_back({{"admin", target.admin.to_string()}, {"reachable", health.ok}, {"error", health.error}});
      }
      out.push_back({{"name", env.name}, {"requires", requires_envs}, {"proxies", proxies}});
    }
    return out;
  };
  auto envs = co_await context.pool.run(std::move(job));
  co_return json_response(200, json::object{{"environments", envs}});
}

ApiResponse list_apps(ApiContext& context) {
  json::array apps;
  for (const auto& app : context.engine.config().apps) {
    json::object envs;
    for (const auto& env : context.engine.config().environments) {
      auto live = live_version(context.engine, app.name, env.name);
      auto active = context.engine.store().active_rollout(app.name, env.name);
      json::value active_id = nullptr;
      if (active.ok() && active.value()) active_id = active.value()->id;
      envs[env.name] = {{"live_version", live ? json::value(*live) : json::value(nullptr)}, {"active_rollout", active_id}};
    }
    json::array steps(app.strategy.steps.begin(), app.strategy.steps.end());
    apps.push_back({{"name", app.name}, {"route", app.route}, {"strategy", app.strategy.kind}, {"steps", steps},
                    {"environments", envs}});
  }
  return json_response(200, json::object{{"apps", apps}});
}

asio::awaitable<ApiResponse> start_rollout(ApiContext& context, const ApiRequest& request) {
  boost::system::error_code ec;
  auto body = json::parse(request.body, ec);
  if (ec || !body.is_object()) co_return error_response(400, "body must be a JSON object");
  engine::StartRequest start;
  start.actor = request.actor;
  const auto& fields = body.get_object();
  auto text = [&fields](const char* key) -> std::string {
    const auto* value = fields.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  start.app = text("app");
  start.env = text("env");
  start.version = text("version");
  start.reason = text("reason");
  if (const auto* force = fields.if_contains("force"); force && force->is_bool()) start.force = force->get_bool();
  if (const auto* only = fields.if_contains("config_only"); only && only->is_bool()) start.config_only = only->get_bool();
  if (start.config_only && !start.version.empty()) co_return error_response(400, "config_only takes no version");
  if (start.app.empty() || start.env.empty() || (start.version.empty() && !start.config_only)) {
    co_return error_response(400, "app, env and version are required");
  }
  co_return co_await start_looked_up(context, start);
}

ApiResponse list_rollouts(ApiContext& context, const ApiRequest& request) {
  auto get = [&request](const char* key) {
    auto found = request.query.find(key);
    return found == request.query.end() ? std::string() : found->second;
  };
  std::int64_t limit = 20;
  if (auto text = get("limit"); !text.empty()) {
    auto parsed = to_int(text);
    if (!parsed || *parsed <= 0) return error_response(400, "limit must be a positive integer");
    limit = *parsed;
  }
  const auto env = get("env");
  const bool active_only = get("active") == "1" || get("active") == "true";
  auto rows = context.engine.store().list_rollouts(get("app"), 100000);
  if (!rows.ok()) return error_response(500, rows.error());
  json::array out;
  for (const auto& row : rows.value()) {
    if (static_cast<std::int64_t>(out.size()) >= limit) break;
    if (!env.empty() && row.env != env) continue;
    if (active_only && row.finished_at) continue;
    out.push_back(rollout_json(row, context.engine));
  }
  return json_response(200, json::object{{"rollouts", out}});
}

ApiResponse get_rollout(ApiContext& context, std::int64_t id) {
  auto& store = context.engine.store();
  auto row = store.get_rollout(id);
  if (!row.ok()) return error_response(500, row.error());
  if (!row.value()) return error_response(404, "no rollout " + std::to_string(id));
  auto out = rollout_json(*row.value(), context.engine);
  json::array transitions;
  if (auto rows = store.transitions(id); rows.ok()) {
    for (const auto& t : rows.value()) {
      transitions.push_back({{"seq", t.seq}, {"at_ms", t.at}, {"from", t.from_state}, {"to", t.to_state},
                             {"step_index", t.step_index}, {"weight", t.weight}, {"reason", t.reason}});
    }
  }
  json::array analyses;
  if (auto rows = store.analyses(id); rows.ok()) {
    for (const auto& a : rows.value()) {
      boost::system::error_code ec;
      auto figures = json::parse(a.figures_json, ec);
      analyses.push_back({{"id", a.id}, {"step_index", a.step_index}, {"at_ms", a.at}, {"verdict", a.verdict},
                          {"reason", a.reason}, {"figures", ec ? json::value(json::object()) : figures}});
    }
  }
  out["transitions"] = transitions;
  out["analyses"] = analyses;
  out["hooks"] = hook_runs_json(store, id);
  return json_response(200, out);
}

asio::awaitable<ApiResponse> live(ApiContext& context, std::int64_t id) {
  auto row = context.engine.store().get_rollout(id);
  if (!row.ok()) co_return error_response(500, row.error());
  if (!row.value()) co_return error_response(404, "no rollout " + std::to_string(id));
  const auto* app = context.engine.config().find_app(row.value()->app);
  const auto* env = context.engine.config().find_environment(row.value()->env);
  if (!app || !env) co_return error_response(404, "the rollout's app or environment is no longer configured");
  // A named job: GCC 12 mishandles lambda temporaries inside co_await expressions.
  auto job = [targets = env->proxies, route = app->route] {
    proxies::ProxyFleet fleet(targets, {kProxyTimeout});
    json::object weights;
    for (const auto& outcome : fleet.get_route(route).outcomes) {
      if (!outcome.result.ok) continue;
      for (const auto& entry : engine::split_of(outcome.result.json)) weights[entry.version] = entry.weight;
      break;
    }
    std::map<std::string, std::tuple<std::uint64_t, std::uint64_t, double>> sums;  // requests, errors, p99 max
    for (const auto& outcome : fleet.get_stats(route).outcomes) {
      const auto* body = outcome.result.json.if_object();
      const auto* versions = body ? body->if_contains("versions") : nullptr;
      if (!versions || !versions->is_object()) continue;
      for (const auto& [version, stats] : versions->get_object()) {
        const auto* s = stats.if_object();
        if (!s) continue;
        auto number = [s](const char* key) {
          const auto* v = s->if_contains(key);
          return v && v->is_number() ? v->to_number<double>() : 0.0;
        };
        auto& [requests, errors, p99] = sums[std::string(version)];
        requests += static_cast<std::uint64_t>(number("requests"));
        errors += static_cast<std::uint64_t>(number("errors"));
        p99 = std::max(p99, number("p99_ms"));
      }
    }
    json::object versions;
    for (const auto& [version, sum] : sums) {
      const auto& [requests, errors, p99] = sum;
      const double rate = requests ? static_cast<double>(errors) / static_cast<double>(requests) : 0.0;
      versions[version] = {{"requests", requests}, {"errors", errors}, {"error_rate", rate}, {"p99_ms", p99}};
    }
    return json::object{{"weights", weights}, {"versions", versions}};
  };
  auto figures = co_await context.pool.run(std::move(job));
  figures["rollout"] = rollout_json(*row.value(), context.engine);
  co_return json_response(200, figures);
}

asio::awaitable<ApiResponse> set_weights(ApiContext& context, const std::string& env_name, const std::string& route,
                                         const std::string& text) {
  const auto* env = context.engine.config().find_environment(env_name);
  if (!env) co_return error_response(404, "unknown environment '" + env_name + "'");
  boost::system::error_code ec;
  auto body = json::parse(text, ec);
  if (ec || !body.is_object() || body.get_object().empty()) {
    co_return error_response(400, "body must be a JSON object {\"VERSION\": WEIGHT, ...}");
  }
  std::map<std::string, std::uint32_t> weights;
  for (const auto& [version, weight] : body.get_object()) {
    // The proxies' own range (SPEC §2: a share is weight over the sum, not a percentage).
    constexpr auto kMax = static_cast<std::int64_t>(config::rules::kMaxWeight);
    if (!weight.is_int64() || weight.get_int64() < 0 || weight.get_int64() > kMax) {
      co_return error_response(400, "weight of '" + std::string(version) + "' must be an integer 0.." +
                                        std::to_string(kMax));
    }
    weights[std::string(version)] = static_cast<std::uint32_t>(weight.get_int64());
  }
  // A named job: GCC 12 mishandles lambda temporaries inside co_await expressions.
  auto job = [targets = env->proxies, route, weights] {
    proxies::ProxyFleet fleet(targets, {kProxyTimeout});
    json::array out;
    for (const auto& outcome : fleet.put_weights(route, weights).outcomes) {
      out.push_back({{"admin", outcome.proxy}, {"ok", outcome.result.ok}, {"error", outcome.result.error}});
    }
    return out;
  };
  auto outcomes = co_await context.pool.run(std::move(job));
  record_weights_event(context, env_name, route, body.get_object(), outcomes);  // the dashboard's timeline
  co_return json_response(200, json::object{{"proxies", outcomes}});
}

std::optional<rollout::ManualCommand> command_named(const std::string& name) {
  if (name == "promote") return rollout::ManualCommand::promote;
  if (name == "pause") return rollout::ManualCommand::pause;
  if (name == "resume") return rollout::ManualCommand::resume;
  if (name == "abort") return rollout::ManualCommand::abort;
  return std::nullopt;
}

}  // namespace

asio::awaitable<ApiResponse> handle(ApiContext& context, const ApiRequest& request) {
  static const std::regex kRollout(R"(/v1/rollouts/([0-9]+)(?:/([a-z]+))?)");
  static const std::regex kWeights(R"(/v1/envs/([^/]+)/routes/([^/]+)/weights)");
  static const std::regex kRotate(R"(/v1/secrets/([^/]+)/rotate)");
  static const std::regex kAppCall(R"(/v1/apps/([^/]+)/(promote|config))");
  const auto& method = request.method;
  const auto& path = request.path;
  std::smatch match;
  if (path == "/healthz" && method == "GET") co_return json_response(200, json::object{{"status", "ok"}});
  if (path == "/metrics" && method == "GET") co_return get_metrics(context);  // outside the token, as /healthz
  if (auto page = serve_dashboard(request)) co_return std::move(*page);  // outside the token: no data
  if (path == "/v1/series" && method == "GET") co_return get_series(context, request);
  if (path == "/v1/events" && method == "GET") co_return list_events(context, request);
  if (path == "/v1/analytics" && method == "GET") co_return get_analytics(context, request);
  if (path == "/v1/envs" && method == "GET") co_return co_await list_envs(context);
  if (std::regex_match(path, match, kRotate) && method == "POST") {
    const std::string secret_name = match[1].str();  // a named value: see the GCC 12 note above
    co_return co_await rotate_secret(context, request, secret_name);
  }
  if (auto reply = handle_secrets(context, request)) co_return std::move(*reply);
  if (path == "/v1/apps" && method == "GET") co_return list_apps(context);
  if (path == "/v1/rollouts" && method == "POST") co_return co_await start_rollout(context, request);
  if (path == "/v1/rollouts" && method == "GET") co_return list_rollouts(context, request);
  if (path == "/v1/instances" && method == "GET") co_return list_instances(context, request);
  if (std::regex_match(path, match, kAppCall)) {
    const std::string app_name = match[1].str();  // a named value: see the GCC 12 note above
    if (match[2] == "promote" && method == "POST") co_return co_await promote_env(context, request, app_name);
    if (match[2] == "config" && method == "GET") co_return show_config(context, request, match[1].str());
  }
  if (path == "/v1/notifications" && method == "GET") co_return list_notifications(context);
  if (std::regex_match(path, match, kRollout)) {
    const auto id = to_int(match[1].str());
    if (!id) co_return error_response(400, "bad rollout id");
    const auto verb = match[2].str();
    if (verb.empty() && method == "GET") co_return get_rollout(context, *id);
    if (verb == "live" && method == "GET") co_return co_await live(context, *id);
    if (auto command = command_named(verb); command && method == "POST") {
      co_return from_outcome(context.engine.manual(*id, *command), context.engine, 200);
    }
  }
  if (is_drift_call(path)) co_return co_await handle_drift(context, request);
  if (std::regex_match(path, match, kWeights) && method == "PUT") {
    co_return co_await set_weights(context, match[1].str(), match[2].str(), request.body);
  }
  co_return error_response(404, "no such call: " + method + " " + path);
}

}  // namespace switchyard::controller::api
