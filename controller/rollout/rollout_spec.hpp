#pragma once
// RolloutSpec (what to roll out, fixed for the rollout's life) and RolloutSnapshot (where it is:
// the whole mutable state of a strategy, persisted by the store before each action is performed,
// so that a restarted controller resumes with Rollout::restore). Plain values: any thread.

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "config/controller_config.hpp"

namespace switchyard::controller::rollout {

struct RolloutSpec {
  std::string app;
  std::string env;
  std::string version;           // the new version V
  std::string baseline_version;  // the version in the route's split when the rollout started
  std::string route;
  std::uint32_t instances = 1;   // instances of V wanted (the driver's `instances`)
  config::StrategyConfig strategy;
  config::HooksConfig hooks;
  std::uint32_t recheck_ms = 5000;  // canary: delay before re-analysing an inconclusive step
};

struct RolloutSnapshot {
  std::string kind;                // canary | blue-green | rolling | recreate
  std::string phase;               // the strategy's phase name, or "rolling_back" / "finished"
  std::string rollback_from;       // rolling back: the phase the rollout failed in
  std::uint32_t rollback_index = 0;  // rolling back: actions of the rollback plan already done
  std::uint32_t step_index = 0;    // canary: index into steps
  std::uint32_t weight = 0;        // current weight of the new version (percent)
  bool paused = false;
  bool held = false;               // the phase's action is held back by the pause (resume issues it)
  std::uint32_t inconclusive_count = 0;
  std::uint64_t pending_action_id = 0;  // 0: none in flight
  std::uint64_t next_action_id = 1;
  std::uint32_t healthy_new = 0;   // healthy instances of the new version
  std::uint32_t replaced = 0;      // rolling: instances already replaced
  std::int64_t deadline_ms = 0;    // the pending WaitUntil's time
  std::int64_t mark_ms = 0;        // recreate: when the old version was retired
  std::string result;              // "" while running; succeeded | failed | aborted
  std::string reason;
  boost::json::object figures;     // last verdict's figures, downtime, ...

  friend bool operator==(const RolloutSnapshot&, const RolloutSnapshot&) = default;
};

boost::json::object to_json(const RolloutSnapshot& snapshot);
// nullopt (with `error` set) when a field is missing or has the wrong type.
std::optional<RolloutSnapshot> snapshot_from_json(const boost::json::object& json, std::string& error);

}  // namespace switchyard::controller::rollout
