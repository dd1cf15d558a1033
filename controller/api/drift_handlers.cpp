// GET /v1/drift, GET /v1/drift/report, POST /v1/drift/accept (docs/drift.md).
#include "controller/api/drift_handlers.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "controller/drift/drift_registry.hpp"
#include "controller/proxies/proxy_client.hpp"

namespace switchyard::controller::api {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

std::shared_ptr<drift::DriftRegistry> registry() { return drift::installed_registry(); }

std::string query(const ApiRequest& request, const char* key) {
  auto found = request.query.find(key);
  return found == request.query.end() ? std::string{} : found->second;
}

json::object status_json(const drift::DriftStatus& status) {
  return {{"env", status.env},
          {"proxy", status.proxy},
          {"state", status.state},
          {"diff", json::array(status.diff.begin(), status.diff.end())},
          {"since", status.since_ms},
          {"last_check", status.last_check_ms},
          {"error", status.error},
          {"remediate", status.remediate_auto ? "auto" : "report"},
          {"incidents", status.incidents},
          {"remediations", status.remediations}};
}

ApiResponse drift_status(ApiContext& context, const ApiRequest& request) {
  const auto env = query(request, "env");
  if (!env.empty() && context.engine.config().find_environment(env) == nullptr) {
    return error_response(404, "no such environment: " + env);
  }
  auto reg = registry();
  if (!reg) return error_response(503, "drift detection is not running");
  json::array proxies;
  for (const auto& status : reg->status(env)) proxies.push_back(status_json(status));
  return json_response(200, json::object{{"proxies", std::move(proxies)}});
}

json::object incident_json(const store::DriftIncidentRow& row) {
  json::array diff;
  std::size_t start = 0;
  while (start <= row.diff.size() && !row.diff.empty()) {
    const auto end = row.diff.find('\n', start);
    diff.push_back(json::string(row.diff.substr(start, end == std::string::npos ? std::string::npos : end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  auto optional_int = [](const std::optional<std::int64_t>& value) { return value ? json::value(*value) : json::value(nullptr); };
  auto optional_text = [](const std::optional<std::string>& value) { return value ? json::value(*value) : json::value(nullptr); };
  return {{"id", row.id},
          {"env", row.env},
          {"proxy", row.proxy},
          {"found_at", row.found_at},
          {"diff", std::move(diff)},
          {"detected_ms", optional_int(row.detected_ms)},
          {"resolved_at", optional_int(row.resolved_at)},
          {"resolution", optional_text(row.resolution)},
          {"resolved_by", optional_text(row.resolved_by)}};
}

ApiResponse drift_report(ApiContext& context, const ApiRequest& request) {
  const auto env = query(request, "env");
  std::int64_t since = 0;
  if (const auto text = query(request, "since"); !text.empty()) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), since);
    if (ec != std::errc() || end != text.data() + text.size() || since < 0) {
      return error_response(400, "since: must be a non-negative integer (ms since the epoch)");
    }
  }
  auto rows = context.engine.store().drift_incidents(env, since);
  if (!rows.ok()) return error_response(500, rows.error());
  json::array incidents;
  std::size_t open = 0;
  for (const auto& row : rows.value()) {
    if (!row.resolved_at) ++open;
    incidents.push_back(incident_json(row));
  }
  return json_response(200, json::object{{"incidents", std::move(incidents)},
                                         {"total", rows.value().size()},
                                         {"open", open}});
}

// Body {"env": E, "proxy": "host:port"?}: adopts each proxy's actual state as desired.
asio::awaitable<ApiResponse> drift_accept(ApiContext& context, const ApiRequest& request) {
  boost::system::error_code ec;
  auto body = json::parse(request.body, ec);
  const auto* object = ec ? nullptr : body.if_object();
  const auto* env_name = object ? object->if_contains("env") : nullptr;
  if (env_name == nullptr || !env_name->is_string()) co_return error_response(400, "env: required (a string)");
  const auto* env = context.engine.config().find_environment(std::string(env_name->get_string()));
  if (env == nullptr) co_return error_response(404, "no such environment: " + std::string(env_name->get_string()));
  std::string proxy;
  if (const auto* named = object->if_contains("proxy")) {
    if (!named->is_string()) co_return error_response(400, "proxy: must be a string (host:port)");
    proxy = std::string(named->get_string());
  }
  auto reg = registry();
  if (!reg) co_return error_response(503, "drift detection is not running");
  std::vector<config::ProxyTarget> targets;
  for (const auto& target : env->proxies) {
    if (proxy.empty() || target.admin.to_string() == proxy) targets.push_back(target);
  }
  if (targets.empty()) co_return error_response(404, "proxy: not a proxy of " + env->name + ": " + proxy);
  // A named job: GCC 12 mishandles lambda temporaries inside co_await expressions.
  auto job = [reg, targets, env_name = env->name, actor = request.actor] {
    json::array out;
    for (const auto& target : targets) {
      proxies::ProxyClientOptions options;
      options.record_changes = false;
      proxies::ProxyClient client(target, options);
      auto current = client.get_config();
      if (current.result.ok) reg->accept(env_name, client.name(), current.hash, current.config, actor);
      out.push_back({{"proxy", client.name()}, {"accepted", current.result.ok}, {"error", current.result.error}});
    }
    return out;
  };
  auto outcomes = co_await context.pool.run(std::move(job));
  co_return json_response(200, json::object{{"proxies", outcomes}});
}

}  // namespace

bool is_drift_call(const std::string& path) {
  return path == "/v1/drift" || path == "/v1/drift/report" || path == "/v1/drift/accept";
}

asio::awaitable<ApiResponse> handle_drift(ApiContext& context, const ApiRequest& request) {
  if (request.path == "/v1/drift" && request.method == "GET") co_return drift_status(context, request);
  if (request.path == "/v1/drift/report" && request.method == "GET") co_return drift_report(context, request);
  if (request.path == "/v1/drift/accept" && request.method == "POST") co_return co_await drift_accept(context, request);
  co_return error_response(405, "method not allowed: " + request.method + " " + request.path);
}

}  // namespace switchyard::controller::api
