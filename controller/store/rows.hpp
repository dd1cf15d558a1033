#pragma once
// Plain rows of the controller's state file. Times are integers: milliseconds since the Unix
// epoch, always supplied by the caller (the store has no clock, so tests control time).
// Pure data, any thread.

#include <cstdint>
#include <optional>
#include <string>

namespace switchyard::controller::store {

// Values of rollouts.result (NULL while the rollout runs).
inline constexpr const char* kResultSucceeded = "succeeded";
inline constexpr const char* kResultFailed = "failed";
inline constexpr const char* kResultAborted = "aborted";

// Values of analysis_results.verdict.
inline constexpr const char* kVerdictPass = "pass";
inline constexpr const char* kVerdictFail = "fail";
inline constexpr const char* kVerdictInconclusive = "inconclusive";

// Values of instances.state; starting, healthy and stopping are "live" (may own a process).
inline constexpr const char* kInstanceStarting = "starting";
inline constexpr const char* kInstanceHealthy = "healthy";
inline constexpr const char* kInstanceStopping = "stopping";
inline constexpr const char* kInstanceStopped = "stopped";
inline constexpr const char* kInstanceFailed = "failed";

struct RolloutRow {
  std::int64_t id = 0;  // assigned by create_rollout()
  std::string app;
  std::string env;
  std::string version;
  std::string baseline_version;  // empty when the route had no version yet
  std::string strategy;          // canary | blue-green | rolling | recreate
  std::string state;             // the strategy state machine's state name
  std::int64_t step_index = 0;
  std::int64_t weight = 0;       // the new version's current weight (percent)
  std::int64_t started_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> finished_at;
  std::optional<std::string> result;  // kResult*; empty optional while active
  std::string reason;
  std::optional<std::string> forced_by;      // who overrode a gate (e.g. `requires`), if anyone
  std::optional<std::string> forced_reason;
  friend bool operator==(const RolloutRow&, const RolloutRow&) = default;
};

// One persisted state change of a rollout; seq counts 1, 2, ... per rollout. The first row
// (from_state empty) records the initial state written by create_rollout().
struct TransitionRow {
  std::int64_t rollout_id = 0;
  std::int64_t seq = 0;
  std::int64_t at = 0;
  std::string from_state;
  std::string to_state;
  std::int64_t step_index = 0;
  std::int64_t weight = 0;
  std::string reason;
  friend bool operator==(const TransitionRow&, const TransitionRow&) = default;
};

struct AnalysisRow {
  std::int64_t id = 0;  // assigned by add_analysis()
  std::int64_t rollout_id = 0;
  std::int64_t step_index = 0;
  std::int64_t at = 0;
  std::string verdict;       // kVerdict*
  std::string figures_json;  // the figures the verdict was drawn from, as a JSON object
  std::string reason;
  friend bool operator==(const AnalysisRow&, const AnalysisRow&) = default;
};

struct InstanceRow {
  std::int64_t id = 0;  // assigned by add_instance()
  std::string app;
  std::string env;
  std::string version;
  std::int64_t instance_index = 0;
  std::int64_t pid = 0;  // 0 before the process exists
  std::int64_t port = 0;
  std::string state = kInstanceStarting;  // kInstance*
  std::string log_path;
  std::string config_hash;  // hash of the configuration handed to the instance (drift, re-adoption)
  std::int64_t started_at = 0;
  std::optional<std::int64_t> stopped_at;
  std::int64_t proc_start_time = 0;  // /proc start time of the process (drivers::Instance::start_time)
  friend bool operator==(const InstanceRow&, const InstanceRow&) = default;
};

// A configuration handed to instances (instances.config_hash -> what it was).
struct InstanceConfigRow {
  std::string hash;
  std::string app;
  std::string env;
  std::string rendered_json;  // {"config":{...},"secrets":{name:version}}: no secret values
  std::int64_t created_at = 0;
  friend bool operator==(const InstanceConfigRow&, const InstanceConfigRow&) = default;
};

struct EventRow {
  std::int64_t seq = 0;  // assigned by append_event(); strictly increasing
  std::int64_t at = 0;
  std::string kind;
  std::string app;
  std::string env;
  std::optional<std::int64_t> rollout_id;
  std::string detail_json = "{}";
  friend bool operator==(const EventRow&, const EventRow&) = default;
};

// A desired state of one proxy, as the drift detector kept it (docs/drift.md).
struct DriftBaselineRow {
  std::int64_t id = 0;  // assigned by add_drift_baseline()
  std::string env{};
  std::string proxy{};
  std::int64_t taken_at = 0;
  std::string config_hash{};
  std::string desired_json = "{}";
  std::string reason{};
  friend bool operator==(const DriftBaselineRow&, const DriftBaselineRow&) = default;
};

// One drift: found, and (once it ended) how.
struct DriftIncidentRow {
  std::int64_t id = 0;  // assigned by open_drift_incident()
  std::string env{};
  std::string proxy{};
  std::int64_t found_at = 0;
  std::string diff{};  // one difference per line
  std::optional<std::int64_t> detected_ms{};
  std::optional<std::int64_t> resolved_at{};
  std::optional<std::string> resolution{};  // remediated | reverted | superseded | accepted
  std::optional<std::string> resolved_by{};
  friend bool operator==(const DriftIncidentRow&, const DriftIncidentRow&) = default;
};

}  // namespace switchyard::controller::store
