#pragma once
// Rollout: one rollout of one app version in one environment; picks the strategy named by
// spec.strategy.kind and forwards to it. The executor (controller I/O, not here) loop is:
//   actions = rollout.start(now)            // or Rollout::restore(...) then rollout.resume(now)
//   for each action: persist rollout.snapshot(), perform it, feed the observation to on(now)
// Persisting the snapshot BEFORE performing an action is what makes restore safe: the restored
// rollout re-issues the pending action (same id), which therefore must be idempotent for the
// executor (deploy "ensures N instances", weights are absolute, retire of nothing succeeds).
// Control-thread only; movable, not copyable.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/rollout/action.hpp"
#include "controller/rollout/rollout_spec.hpp"
#include "controller/rollout/strategy.hpp"

namespace switchyard::controller::rollout {

class Rollout {
 public:
  // An unknown strategy kind (the loader validates it) makes start() finish the rollout as failed.
  Rollout(RolloutSpec spec, std::int64_t now_ms);

  // From a persisted snapshot; nullopt (with `error`) if it does not fit the spec's strategy.
  // Call resume() once afterwards to get the action that was pending.
  static std::optional<Rollout> restore(RolloutSpec spec, const RolloutSnapshot& snapshot, std::int64_t now_ms,
                                        std::string& error);

  std::vector<Action> start(std::int64_t now_ms);
  std::vector<Action> on(const Observation& observation, std::int64_t now_ms);
  std::vector<Action> resume(std::int64_t now_ms);
  RolloutSnapshot snapshot() const;
  bool finished() const;
  const RolloutSpec& spec() const { return spec_; }
  std::int64_t created_ms() const { return created_ms_; }

 private:
  RolloutSpec spec_;
  std::int64_t created_ms_ = 0;
  std::unique_ptr<Strategy> strategy_;  // null: unknown kind
  bool unknown_finished_ = false;
};

// The strategy for spec.strategy.kind, or null for an unknown kind.
std::unique_ptr<Strategy> make_strategy(const RolloutSpec& spec);

}  // namespace switchyard::controller::rollout
