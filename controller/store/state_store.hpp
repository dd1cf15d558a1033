#pragma once
// StateStore: the controller's durable memory in one SQLite file (SPEC §6 `controller.state`):
// rollouts and their transitions, analysis verdicts, deployed instances and the event log.
// Every state change of a rollout is committed (WAL, synchronous=FULL) before the caller acts
// on it, so a controller killed at any point resumes from what the file says.
//
// Thread: control-thread only (one sqlite3 connection, opened without SQLite's mutex); other
// threads must post their work to the control thread. Lifetime: open() once, then use until
// destruction. No exception crosses this interface: methods return Status or Result<T>.
// Another process holding the file's write lock makes calls wait up to busy_timeout_ms, then fail.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/analytics/history.hpp"
#include "controller/store/hook_run_row.hpp"
#include "controller/store/result.hpp"
#include "controller/store/rows.hpp"
#include "controller/store/sqlite.hpp"

namespace switchyard::controller::store {

struct StoreOptions {
  int busy_timeout_ms = 5000;  // how long to wait for another connection's lock before failing
};

class StateStore {
 public:
  StateStore() = default;

  // Opens or creates the file and applies migrations. Errors read
  // "state file '<path>': <what>". Calling open() twice on one object is an error.
  Status open(const std::string& path, StoreOptions options = {});
  bool is_open() const { return db_.is_open(); }

  // --- rollouts -------------------------------------------------------------------------------
  // Inserts `row` (id, updated_at, finished_at and result are ignored: a new rollout is active,
  // updated_at = started_at) and its first transition; returns the new id. Fails when the
  // app/env already has an active rollout.
  Result<std::int64_t> create_rollout(const RolloutRow& row);
  // One transaction: the rollout's state/step/weight/reason/updated_at and a new transition row.
  // Fails (and changes nothing) for an unknown or finished rollout.
  Status update_rollout_state(std::int64_t id, const std::string& state, std::int64_t step_index,
                              std::int64_t weight, const std::string& reason, std::int64_t at);
  // Marks the rollout finished with `result` (kResult*). Fails for an unknown or finished rollout.
  Status finish_rollout(std::int64_t id, const std::string& result, const std::string& reason, std::int64_t at);
  Result<std::optional<RolloutRow>> get_rollout(std::int64_t id);
  Result<std::optional<RolloutRow>> active_rollout(const std::string& app, const std::string& env);
  // Every unfinished rollout, oldest first: what a restarted controller must resume.
  Result<std::vector<RolloutRow>> active_rollouts();
  // Newest first; an empty `app` lists every app.
  Result<std::vector<RolloutRow>> list_rollouts(const std::string& app, std::int64_t limit);
  // Oldest first.
  Result<std::vector<TransitionRow>> transitions(std::int64_t rollout_id);
  // The rollout state machine's snapshot (JSON text; "{}" until the first save). Saving does not
  // add a transition: call it before every action, update_rollout_state() only on a state change.
  Status save_snapshot(std::int64_t id, const std::string& snapshot_json);
  Result<std::string> snapshot(std::int64_t id);
  // Whether `version` of `app` has a succeeded rollout in `env` (for `requires:`).
  Result<bool> has_succeeded(const std::string& app, const std::string& env, const std::string& version);

  // --- analysis ------------------------------------------------------------------------------
  Result<std::int64_t> add_analysis(const AnalysisRow& row);
  Result<std::vector<AnalysisRow>> analyses(std::int64_t rollout_id);  // oldest first

  // --- instances -----------------------------------------------------------------------------
  Result<std::int64_t> add_instance(const InstanceRow& row);
  // Writes every mutable field of row.id: pid, port, state, log_path, config_hash, stopped_at.
  Status update_instance(const InstanceRow& row);
  Result<std::optional<InstanceRow>> get_instance(std::int64_t id);
  Result<std::vector<InstanceRow>> list_instances(const std::string& app, const std::string& env,
                                                  const std::string& version);
  // Every instance in a live state (starting, healthy, stopping): re-adopt or clean up at start.
  Result<std::vector<InstanceRow>> live_instances();

  // --- configuration and promotion (state_store_config.cpp) --------------------------------
  Status set_promoted_from(std::int64_t rollout_id, const std::string& from_env);
  Result<std::optional<std::string>> promoted_from(std::int64_t rollout_id);
  // The version of the newest succeeded rollout of `app` in `env`, if any.
  Result<std::optional<std::string>> last_succeeded_version(const std::string& app, const std::string& env);
  // Records a rendered configuration once per hash (later calls with the same hash change nothing).
  Status put_instance_config(const InstanceConfigRow& row);
  Result<std::optional<InstanceConfigRow>> instance_config(const std::string& hash);
  // --- hook runs (hook_run_records.cpp) ------------------------------------------------------
  Result<std::int64_t> add_hook_run(const HookRunRow& row);
  Result<std::vector<HookRunRow>> hook_runs(std::int64_t rollout_id);  // oldest first

  // --- events --------------------------------------------------------------------------------
  Result<std::int64_t> append_event(const EventRow& row);  // returns the new seq
  // Events with seq > `after_seq`, oldest first, at most `limit`.
  Result<std::vector<EventRow>> events_since(std::int64_t after_seq, std::int64_t limit);
  // The last `limit` events, oldest first (event_queries.cpp; the dashboard's timeline).
  Result<std::vector<EventRow>> latest_events(std::int64_t limit);

  // --- analytics (analytics_queries.cpp) -------------------------------------------------------
  Result<analytics::History> analytics_history(const analytics::HistoryQuery& query);
  // --- drift (drift_records.cpp) -------------------------------------------------------------
  Result<std::int64_t> add_drift_baseline(const DriftBaselineRow& row);
  Result<std::int64_t> open_drift_incident(const DriftIncidentRow& row);
  // Ends the open incident(s) of env/proxy; no open incident is not an error.
  Status resolve_drift_incidents(const std::string& env, const std::string& proxy, std::int64_t at,
                                 const std::string& resolution, const std::string& by);
  // Incidents found at or after `since` (all envs when `env` is empty), oldest first.
  Result<std::vector<DriftIncidentRow>> drift_incidents(const std::string& env, std::int64_t since);
  // The newest baselines first.
  Result<std::vector<DriftBaselineRow>> drift_baselines(const std::string& env, std::int64_t limit);

 private:
  Status insert_transition(std::int64_t rollout_id, const std::string& from_state, const std::string& to_state,
                           std::int64_t step_index, std::int64_t weight, const std::string& reason,
                           std::int64_t at);

  Database db_;
  std::string path_;
};

}  // namespace switchyard::controller::store
