#include "controller/rollout/action.hpp"

#include <boost/json/serialize.hpp>

namespace switchyard::controller::rollout {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

boost::json::object weights_json(const std::map<std::string, std::uint32_t>& weights) {
  boost::json::object out;
  for (const auto& [version, weight] : weights) out[version] = weight;
  return out;
}

// The action's own fields (without id and name).
boost::json::object fields_of(const ActionBody& body) {
  return std::visit(
      Overloaded{
          [](const DeployInstances& a) { return boost::json::object{{"version", a.version}, {"count", a.count}}; },
          [](const RegisterUpstream& a) { return boost::json::object{{"version", a.version}}; },
          [](const SetWeights& a) { return boost::json::object{{"weights", weights_json(a.weights)}}; },
          [](const SetSplit& a) { return boost::json::object{{"weights", weights_json(a.weights)}}; },
          [](const PinPreview& a) { return boost::json::object{{"version", a.version}}; },
          [](const RunHooks& a) {
            return boost::json::object{{"phase", to_string(a.phase)}, {"step_index", a.step_index}};
          },
          [](const RetireInstances& a) { return boost::json::object{{"version", a.version}}; },
          [](const ReplaceInstances& a) {
            return boost::json::object{{"from", a.from}, {"to", a.to}, {"count", a.count}};
          },
          [](const WaitUntil& a) { return boost::json::object{{"time_ms", a.time_ms}}; },
          [](const Analyze& a) { return boost::json::object{{"window_ms", a.window_ms}}; },
          [](const Finish& a) {
            return boost::json::object{{"result", to_string(a.result)}, {"reason", a.reason}, {"figures", a.figures}};
          },
      },
      body);
}

}  // namespace

std::string_view to_string(HookPhase phase) {
  switch (phase) {
    case HookPhase::pre_deploy: return "pre_deploy";
    case HookPhase::per_step: return "per_step";
    case HookPhase::post_deploy: return "post_deploy";
    case HookPhase::pre_traffic: return "pre_traffic";
    case HookPhase::on_rollback: return "on_rollback";
  }
  return "pre_deploy";
}

std::string_view to_string(RolloutResult result) {
  switch (result) {
    case RolloutResult::succeeded: return "succeeded";
    case RolloutResult::failed: return "failed";
    case RolloutResult::aborted: return "aborted";
  }
  return "failed";
}

std::string_view to_string(ManualCommand command) {
  switch (command) {
    case ManualCommand::promote: return "promote";
    case ManualCommand::pause: return "pause";
    case ManualCommand::resume: return "resume";
    case ManualCommand::abort: return "abort";
  }
  return "pause";
}

std::string_view action_name(const ActionBody& body) {
  static constexpr std::string_view kNames[] = {"deploy_instances", "register_upstream", "set_weights",
                                                "set_split",        "pin_preview",       "run_hooks",
                                                "retire_instances", "replace_instances", "wait_until",
                                                "analyze",          "finish"};
  static_assert(std::size(kNames) == std::variant_size_v<ActionBody>);
  return kNames[body.index()];
}

boost::json::object to_json(const Action& action) {
  auto out = fields_of(action.body);
  out["id"] = action.id;
  out["action"] = action_name(action.body);
  return out;
}

std::string describe(const Action& action) {
  return "#" + std::to_string(action.id) + " " + std::string(action_name(action.body)) + " " +
         boost::json::serialize(fields_of(action.body));
}

}  // namespace switchyard::controller::rollout
