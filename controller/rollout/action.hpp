#pragma once
// Action and Observation: the only vocabulary between a rollout state machine and its executor.
// The machine never performs I/O: it emits an Action (a command such as "deploy 2 instances of
// v2"), the executor performs it and reports an Observation back (succeeded, failed, healthy,
// analysis verdict, ...). Every action carries an id; a reply names the id it answers, and a
// reply to an action the machine no longer waits for (cancelled by promote/abort) is ignored.
// Plain values: any thread; the executor and the machine share nothing else.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>

#include "controller/rollout/analysis.hpp"

namespace switchyard::controller::rollout {

enum class HookPhase { pre_deploy, per_step, post_deploy, pre_traffic, on_rollback };
std::string_view to_string(HookPhase phase);

enum class RolloutResult { succeeded, failed, aborted };
std::string_view to_string(RolloutResult result);

// Start `count` instances of `version`; answered by InstancesHealthy{id, version, n} once the
// driver has health-checked them (n may be below count), or ActionFailed.
struct DeployInstances { std::string version; std::uint32_t count = 0; };
// Register the version's instances in every proxy as upstream APP-VERSION and add the version to
// the route's split at weight 0.
struct RegisterUpstream { std::string version; };
// PUT /v1/routes/ROUTE/weights: versions not named keep their weight.
struct SetWeights { std::map<std::string, std::uint32_t> weights; };
// PUT /v1/routes/ROUTE/split: the split becomes exactly these versions.
struct SetSplit { std::map<std::string, std::uint32_t> weights; };
// Make the version reachable only through the route's override_header (weight 0).
struct PinPreview { std::string version; };
// Run the app's hooks of this phase in order; all must succeed.
struct RunHooks { HookPhase phase = HookPhase::pre_deploy; std::uint32_t step_index = 0; };
// Stop every instance of the version (and drop its upstream when no route uses it).
struct RetireInstances { std::string version; };
// Rolling: replace `count` instances of `from` by instances of `to` inside the route's upstream;
// a new instance is registered only once healthy. Answered by InstancesHealthy{id, to, n}.
struct ReplaceInstances { std::string from; std::string to; std::uint32_t count = 0; };
// Answered by a Tick whose time is at or after time_ms (or ActionSucceeded).
struct WaitUntil { std::int64_t time_ms = 0; };
// Fetch the route's stats from every proxy of the environment and judge them (analysis.hpp);
// answered by AnalysisResult.
struct Analyze { std::uint32_t window_ms = 0; };
// Terminal: the rollout is over; no reply expected.
struct Finish { RolloutResult result = RolloutResult::succeeded; std::string reason; boost::json::object figures; };

using ActionBody = std::variant<DeployInstances, RegisterUpstream, SetWeights, SetSplit, PinPreview, RunHooks,
                                RetireInstances, ReplaceInstances, WaitUntil, Analyze, Finish>;

struct Action {
  std::uint64_t id = 0;
  ActionBody body;
};

std::string_view action_name(const ActionBody& body);  // "deploy_instances", "set_weights", ...
boost::json::object to_json(const Action& action);       // {"id","action",...fields}: for the store and logs
std::string describe(const Action& action);              // one human-readable line

enum class ManualCommand { promote, pause, resume, abort };
std::string_view to_string(ManualCommand command);

struct ActionSucceeded { std::uint64_t id = 0; };
struct ActionFailed { std::uint64_t id = 0; std::string reason; };
struct AnalysisResult { std::uint64_t id = 0; Verdict verdict; };
// id = 0: an unsolicited health update (an instance went down or came back).
struct InstancesHealthy { std::uint64_t id = 0; std::string version; std::uint32_t healthy = 0; };
struct GuardTripped { std::string reason; };
struct Tick {};  // the time is on() 's now_ms
struct Manual { ManualCommand command = ManualCommand::pause; };

using Observation = std::variant<ActionSucceeded, ActionFailed, AnalysisResult, InstancesHealthy, GuardTripped, Tick,
                                 Manual>;

}  // namespace switchyard::controller::rollout
