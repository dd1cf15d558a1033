// One function per verb; each sends the calls of docs/controller-api.md and prints the answer.
#include "controller/cli/commands.hpp"

#include <chrono>

#include <boost/json/serialize.hpp>

#include "controller/cli/render.hpp"

namespace switchyard::controller::cli {
namespace {

namespace json = boost::json;

bool json_output(const CliRequest& request) { return request.global.output == OutputFormat::kJson; }

// Prints a ROLLOUT answer: as JSON, or as a one-row status table.
int print_rollout(const CliRequest& request, CliIo& io, const ApiReply& reply) {
  if (!reply.ok) return report_failure(io, reply.message);
  if (json_output(request)) {
    io.out << render_json(reply.body);
  } else {
    io.out << render_status(json::object{{"rollouts", json::array{reply.json}}}, now_ms(io));
  }
  return 0;
}

int rollout_start(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const json::object body{{"app", request.app},       {"env", request.env},
                          {"version", request.version}, {"force", request.force},
                          {"reason", request.reason}};
  json::object sent = body;
  if (request.config_only) {
    sent.erase("version");
    sent["config_only"] = true;
  }
  return print_rollout(request, io, client.post("/v1/rollouts", json::serialize(sent)));
}

// promote | pause | resume | abort: find the active rollout of APP in ENV, then act on it.
int rollout_action(const ControllerClient& client, const CliRequest& request, CliIo& io,
                   const char* action) {
  const ApiReply found = client.get(
      "/v1/rollouts" + query_string({{"app", request.app}, {"env", request.env}, {"active", "1"}}));
  if (!found.ok) return report_failure(io, found.message);
  const auto* rollouts = found.json.is_object() ? found.json.get_object().if_contains("rollouts")
                                                 : nullptr;
  if (rollouts == nullptr || !rollouts->is_array() || rollouts->get_array().empty())
    return report_failure(io, "no active rollout of " + request.app + " in " + request.env);
  const std::string id = rollout_id(rollouts->get_array().front());
  return print_rollout(request, io,
                       client.post("/v1/rollouts/" + url_encode(id) + "/" + action));
}

// One rollout listed: its hooks table (from GET /v1/rollouts/{id}), else nothing.
std::string hooks_of_single(const ControllerClient& client, const boost::json::value& listed) {
  const auto* object = listed.if_object();
  const auto* rollouts = object ? object->if_contains("rollouts") : nullptr;
  if (!rollouts || !rollouts->is_array() || rollouts->get_array().size() != 1) return {};
  const ApiReply detail = client.get("/v1/rollouts/" + rollout_id(rollouts->get_array()[0]));
  return detail.ok ? render_hook_runs(detail.json) : std::string();
}

int rollout_status(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  if (request.watch) return watch_rollout(client, request, io);
  ApiReply reply = client.get(
      "/v1/rollouts" + query_string({{"app", request.app}, {"env", request.env}, {"active", "1"}}));
  if (!reply.ok) return report_failure(io, reply.message);
  const auto* rollouts =
      reply.json.is_object() ? reply.json.get_object().if_contains("rollouts") : nullptr;
  const bool none = rollouts == nullptr || !rollouts->is_array() || rollouts->get_array().empty();
  if (none && !request.app.empty()) {
    // Nothing running: APP's latest rollout says how the last one ended.
    reply = client.get("/v1/rollouts" +
                       query_string({{"app", request.app}, {"env", request.env}, {"limit", "1"}}));
    if (!reply.ok) return report_failure(io, reply.message);
    if (!json_output(request)) io.out << "no active rollout of " << request.app << "; the latest:\n";
  } else if (none && !json_output(request)) {
    io.out << "no active rollouts\n";
    return 0;
  }
  io.out << (json_output(request) ? render_json(reply.body) : render_status(reply.json, now_ms(io)));
  if (!json_output(request)) io.out << hooks_of_single(client, reply.json);
  return 0;
}

int rollout_history(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const ApiReply reply =
      client.get("/v1/rollouts" + query_string({{"app", request.app},
                                                {"env", request.env},
                                                {"limit", std::to_string(request.limit)}}));
  if (!reply.ok) return report_failure(io, reply.message);
  io.out << (json_output(request) ? render_json(reply.body) : render_history(reply.json, now_ms(io)));
  return 0;
}

int weights_set(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  json::object body;
  for (const auto& [version, weight] : request.weights) body[version] = weight;
  const ApiReply reply = client.put("/v1/envs/" + url_encode(request.env) + "/routes/" +
                                        url_encode(request.route) + "/weights",
                                    json::serialize(body));
  if (!reply.ok) return report_failure(io, reply.message);
  io.out << (json_output(request) ? render_json(reply.body) : render_weights_outcome(reply.json));
  std::size_t total = 0;
  std::size_t failed = 0;
  const auto* proxies = reply.json.is_object() ? reply.json.get_object().if_contains("proxies")
                                               : nullptr;
  if (proxies != nullptr && proxies->is_array()) {
    for (const auto& proxy : proxies->get_array()) {
      ++total;
      const auto* ok = proxy.is_object() ? proxy.get_object().if_contains("ok") : nullptr;
      if (ok == nullptr || !ok->is_bool() || !ok->get_bool()) ++failed;
    }
  }
  if (failed == 0) return 0;
  return report_failure(io, "the weights were not applied on " + std::to_string(failed) + " of " +
                                std::to_string(total) + " proxies");
}

int env_list(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const ApiReply reply = client.get("/v1/envs");
  if (!reply.ok) return report_failure(io, reply.message);
  io.out << (json_output(request) ? render_json(reply.body) : render_envs(reply.json));
  return 0;
}

}  // namespace

int report_failure(CliIo& io, const std::string& message) {
  io.err << "switchyard: " << message << '\n';
  return 1;
}

std::int64_t now_ms(const CliIo& io) {
  if (io.now_ms) return io.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int run_cli(const CliRequest& request, const std::string& token, CliIo& io) {
  std::string error;
  const auto url = parse_controller_url(request.global.controller, error);
  if (!url) return report_failure(io, "--controller: " + error);
  const ControllerClient client(*url, token);
  switch (request.verb) {
    case Verb::kRolloutStart: return rollout_start(client, request, io);
    case Verb::kRolloutStatus: return rollout_status(client, request, io);
    case Verb::kRolloutPromote: return rollout_action(client, request, io, "promote");
    case Verb::kRolloutPause: return rollout_action(client, request, io, "pause");
    case Verb::kRolloutResume: return rollout_action(client, request, io, "resume");
    case Verb::kRolloutAbort: return rollout_action(client, request, io, "abort");
    case Verb::kRolloutHistory: return rollout_history(client, request, io);
    case Verb::kWeightsSet: return weights_set(client, request, io);
    case Verb::kEnvList: return env_list(client, request, io);
    case Verb::kAnalytics: return analytics_command(client, request, io);
    case Verb::kRolloutPromoteEnv: return promote_env(client, request, io);
    case Verb::kConfigShow: return config_show(client, request, io);
    case Verb::kInstances: return instances(client, request, io);
    case Verb::kDriftStatus: return drift_status(client, request, io);
    case Verb::kDriftAccept: return drift_accept(client, request, io);
    case Verb::kSecretsSet:
    case Verb::kSecretsGet:
    case Verb::kSecretsList:
    case Verb::kSecretsRotate:
    case Verb::kSecretsHistory:
    case Verb::kSecretsRekey: return run_secrets(client, request, io);
  }
  return report_failure(io, "unknown command");
}

}  // namespace switchyard::controller::cli
