#pragma once
// StrategyBase: what every strategy shares: action ids and the one pending action, pause/resume,
// abort, guard trips, stale replies, action failures and the rollback sequence. A subclass names
// its phases, says which action each phase awaits and where a completed phase leads, and which
// actions undo it (rollback_plan). Control-thread only, like Strategy.
//
// Rollback: the plan is computed from the phase the rollout failed in and run in order, one
// action at a time; a failing rollback action is recorded in the reason and the plan continues
// (leaving the new version half-removed is worse than trying the next step). Pause holds the
// rollout at the next "pausable" phase boundary; it never delays a rollback.

#include <optional>
#include <string>
#include <string_view>

#include "controller/rollout/strategy.hpp"

#include <array>

namespace switchyard::controller::rollout {

class StrategyBase : public Strategy {
 public:
  std::vector<Action> start(std::int64_t now_ms) final;
  std::vector<Action> on(const Observation& observation, std::int64_t now_ms) final;
  std::vector<Action> resume(std::int64_t now_ms) final;
  RolloutSnapshot snapshot() const final;
  bool load(const RolloutSnapshot& snapshot, std::string& error) final;
  bool finished() const final { return mode_ == Mode::finished; }

 protected:
  StrategyBase(RolloutSpec spec, std::string kind);

  // --- what a subclass provides
  virtual std::string_view phase_name() const = 0;
  virtual bool set_phase(std::string_view name) = 0;
  virtual std::vector<Action> begin(std::int64_t now_ms) = 0;
  // The action the current phase awaits. `fresh` is false when re-issued after a restore: a
  // WaitUntil must then keep its persisted deadline.
  virtual ActionBody phase_action(std::int64_t now_ms, bool fresh) = 0;
  // The pending action was answered successfully (ActionSucceeded, InstancesHealthy, AnalysisResult).
  virtual std::vector<Action> completed(const Observation& reply, std::int64_t now_ms) = 0;
  virtual std::vector<Action> promote(std::int64_t /*now_ms*/) { return {}; }
  // An unsolicited health report changed state().healthy_new while running.
  virtual std::vector<Action> health_changed(std::int64_t /*now_ms*/) { return {}; }
  // False past the point of no return (the old version is being retired).
  virtual bool can_roll_back() const = 0;
  virtual std::vector<ActionBody> rollback_plan(std::string_view failed_phase) const = 0;
  // A phase's action failed past the point of no return: how to finish.
  virtual std::vector<Action> failed_late(std::string reason);

  // --- helpers for subclasses
  // The subclass has set its phase: issue the phase's action, or hold it if paused and pausable.
  std::vector<Action> enter(std::int64_t now_ms, bool pausable);
  std::vector<Action> roll_back(RolloutResult result, std::string reason, std::int64_t now_ms);
  std::vector<Action> finish(RolloutResult result, std::string reason);
  bool has_hooks(HookPhase phase) const;
  // How far the new version got, for the common undo sequence of canary and blue-green.
  enum class Reached { nothing, deployed, registered, weighted };
  std::vector<ActionBody> undo_new_version(Reached reached) const;
  bool pending_is_wait() const;

  const RolloutSpec& spec() const { return spec_; }
  RolloutSnapshot& state() { return state_; }
  const RolloutSnapshot& state() const { return state_; }

 private:
  enum class Mode { running, rolling_back, finished };

  std::vector<Action> issue(ActionBody body, std::uint64_t id = 0);
  // reuse_id: re-issued after a restore, with the id the executor may already have seen.
  std::vector<Action> next_rollback_action(std::uint64_t reuse_id = 0);
  std::vector<Action> on_reply(const Observation& observation, std::uint64_t id, std::int64_t now_ms);
  std::vector<Action> on_failure(std::uint64_t id, const std::string& reason, std::int64_t now_ms);
  std::vector<Action> on_manual(ManualCommand command, std::int64_t now_ms);
  std::vector<Action> on_tick(std::int64_t now_ms);
  std::vector<Action> on_health(const InstancesHealthy& health, std::int64_t now_ms);

  RolloutSpec spec_;
  RolloutSnapshot state_;  // phase/rollback fields are filled in by snapshot()
  Mode mode_ = Mode::running;
  std::optional<Action> pending_;
};

// PhasedStrategy: a StrategyBase whose phases are `enum class Phase` (first enumerator = the
// starting phase) named, in declaration order, by `names`. It gives every strategy the same
// phase_name/set_phase (what snapshots persist) and go() (enter a phase), so a strategy writes
// only its transitions. Control-thread only.
template <class Phase, std::size_t N>
class PhasedStrategy : public StrategyBase {
 protected:
  PhasedStrategy(RolloutSpec spec, std::string kind, const std::array<std::string_view, N>& names)
      : StrategyBase(std::move(spec), std::move(kind)), names_(names) {}

  std::string_view phase_name() const final { return names_[static_cast<std::size_t>(phase_)]; }
  bool set_phase(std::string_view name) final {
    const auto phase = phase_named(name);
    if (phase) phase_ = *phase;
    return phase.has_value();
  }
  std::optional<Phase> phase_named(std::string_view name) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (names_[i] == name) return static_cast<Phase>(i);
    }
    return std::nullopt;
  }
  std::vector<Action> go(Phase phase, std::int64_t now_ms, bool pausable = false) {
    phase_ = phase;
    return enter(now_ms, pausable);
  }

  Phase phase_{};

 private:
  const std::array<std::string_view, N>& names_;
};

}  // namespace switchyard::controller::rollout
