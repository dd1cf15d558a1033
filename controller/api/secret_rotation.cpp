// POST /v1/secrets/{name}/rotate: a rotation is a configuration change (the secret's version is
// part of every user's configuration hash), so after storing the new version it starts a
// config-only rollout (docs/rollouts.md) of every app that lists the secret, in every environment
// where that app runs instances — the same strategy and analysis as any rollout.
#include <algorithm>
#include <set>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "controller/api/api_handlers.hpp"
#include "controller/api/config_handlers.hpp"

namespace switchyard::controller::api {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// (app, env) pairs with live instances, for the apps that list `name` in `secrets:`.
std::set<std::pair<std::string, std::string>> running_users(ApiContext& context, const std::string& name) {
  std::set<std::pair<std::string, std::string>> out;
  auto live = context.engine.store().live_instances();
  if (!live.ok()) return out;
  for (const auto& row : live.value()) {
    const auto* app = context.engine.config().find_app(row.app);
    if (app && std::find(app->secrets.begin(), app->secrets.end(), name) != app->secrets.end()) {
      out.emplace(row.app, row.env);
    }
  }
  return out;
}

}  // namespace

asio::awaitable<ApiResponse> rotate_secret(ApiContext& context, const ApiRequest& request,
                                                  const std::string& name) {
  auto reply = handle_secrets(context, request);
  if (!reply || reply->status != 200) co_return reply ? std::move(*reply) : error_response(404, "no such secret");
  boost::system::error_code ec;
  auto answer = json::parse(reply->body, ec);
  if (ec || !answer.is_object()) co_return std::move(*reply);
  const auto version = answer.as_object().contains("version") ? json::serialize(answer.at("version")) : "?";
  json::array rollouts;
  for (const auto& [app, env] : running_users(context, name)) {
    engine::StartRequest start;
    start.app = app;
    start.env = env;
    start.config_only = true;
    start.actor = request.actor;
    start.reason = "secret " + name + " rotated to version " + version;
    auto started = co_await start_looked_up(context, start);  // `start` is a named value (GCC 12)
    json::object entry{{"app", app}, {"env", env}, {"status", started.status}};
    auto body = json::parse(started.body, ec);
    if (!ec && body.is_object()) {
      if (const auto* id = body.as_object().if_contains("id")) entry["rollout_id"] = *id;
      if (const auto* error = body.as_object().if_contains("error")) entry["error"] = *error;
    }
    rollouts.push_back(std::move(entry));
  }
  answer.as_object()["rollouts"] = std::move(rollouts);
  co_return json_response(200, answer);
}

}  // namespace switchyard::controller::api
