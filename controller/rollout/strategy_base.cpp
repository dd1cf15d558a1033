#include "controller/rollout/strategy_base.hpp"

#include <utility>

namespace switchyard::controller::rollout {
namespace {

constexpr std::string_view kRollingBack = "rolling_back";
constexpr std::string_view kFinished = "finished";

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

}  // namespace

StrategyBase::StrategyBase(RolloutSpec spec, std::string kind) : spec_(std::move(spec)) {
  state_.kind = std::move(kind);
}

std::vector<Action> StrategyBase::start(std::int64_t now_ms) { return begin(now_ms); }

std::vector<Action> StrategyBase::on(const Observation& observation, std::int64_t now_ms) {
  if (mode_ == Mode::finished) return {};
  return std::visit(
      Overloaded{
          [&](const ActionSucceeded& o) { return on_reply(observation, o.id, now_ms); },
          [&](const AnalysisResult& o) { return on_reply(observation, o.id, now_ms); },
          [&](const ActionFailed& o) { return on_failure(o.id, o.reason, now_ms); },
          [&](const InstancesHealthy& o) { return on_health(o, now_ms); },
          [&](const GuardTripped& o) {
            if (mode_ != Mode::running || !can_roll_back()) return std::vector<Action>{};
            return roll_back(RolloutResult::failed, "guard tripped: " + o.reason, now_ms);
          },
          [&](const Tick&) { return on_tick(now_ms); },
          [&](const Manual& o) { return on_manual(o.command, now_ms); },
      },
      observation);
}

std::vector<Action> StrategyBase::resume(std::int64_t now_ms) {
  const auto id = state_.pending_action_id;
  switch (mode_) {
    case Mode::finished: return {};
    case Mode::rolling_back: return next_rollback_action(id);
    case Mode::running:
      if (state_.held) return {};
      return issue(phase_action(now_ms, false), id);
  }
  return {};
}

RolloutSnapshot StrategyBase::snapshot() const {
  auto out = state_;
  switch (mode_) {
    case Mode::running: out.phase = std::string(phase_name()); break;
    case Mode::rolling_back: out.phase = std::string(kRollingBack); break;
    case Mode::finished: out.phase = std::string(kFinished); break;
  }
  return out;
}

bool StrategyBase::load(const RolloutSnapshot& snapshot, std::string& error) {
  if (snapshot.kind != state_.kind) {
    error = "snapshot of a " + snapshot.kind + " rollout given to a " + state_.kind + " strategy";
    return false;
  }
  Mode mode = Mode::running;
  std::string_view phase = snapshot.phase;
  if (phase == kFinished) {
    mode = Mode::finished;
  } else if (phase == kRollingBack) {
    mode = Mode::rolling_back;
    phase = snapshot.rollback_from;
  }
  if (mode != Mode::finished && !set_phase(phase)) {
    error = "unknown " + state_.kind + " phase \"" + std::string(phase) + "\"";
    return false;
  }
  state_ = snapshot;
  mode_ = mode;
  pending_.reset();
  return true;
}

std::vector<Action> StrategyBase::failed_late(std::string reason) {
  return finish(RolloutResult::succeeded, "succeeded, but cleanup failed: " + reason);
}

std::vector<Action> StrategyBase::enter(std::int64_t now_ms, bool pausable) {
  if (pausable && state_.paused) {
    state_.held = true;
    state_.pending_action_id = 0;
    pending_.reset();
    return {};
  }
  state_.held = false;
  return issue(phase_action(now_ms, true));
}

std::vector<Action> StrategyBase::roll_back(RolloutResult result, std::string reason, std::int64_t /*now_ms*/) {
  mode_ = Mode::rolling_back;
  state_.rollback_from = std::string(phase_name());
  state_.rollback_index = 0;
  state_.held = false;
  state_.result = std::string(to_string(result));
  state_.reason = std::move(reason);
  // Whatever was pending is cancelled: its late reply must not be taken for the rollback's.
  state_.pending_action_id = 0;
  pending_.reset();
  return next_rollback_action();
}

std::vector<Action> StrategyBase::finish(RolloutResult result, std::string reason) {
  state_.result = std::string(to_string(result));
  state_.reason = reason;
  state_.held = false;
  if (result != RolloutResult::succeeded) state_.weight = 0;  // the split is back on the baseline
  auto actions = issue(Finish{result, std::move(reason), state_.figures});
  mode_ = Mode::finished;
  return actions;
}

bool StrategyBase::has_hooks(HookPhase phase) const {
  switch (phase) {
    case HookPhase::pre_deploy: return !spec_.hooks.pre_deploy.empty();
    case HookPhase::per_step: return !spec_.hooks.per_step.empty();
    case HookPhase::post_deploy: return !spec_.hooks.post_deploy.empty();
    case HookPhase::pre_traffic: return !spec_.hooks.pre_traffic.empty();
    case HookPhase::on_rollback: return !spec_.hooks.on_rollback.empty();
  }
  return false;
}

std::vector<ActionBody> StrategyBase::undo_new_version(Reached reached) const {
  const auto& base = spec_.baseline_version;
  const auto& v = spec_.version;
  std::vector<ActionBody> plan;
  // Traffic first: the weights move back in one call (SPEC §7: within 1 s of the failure).
  if (reached == Reached::weighted) plan.emplace_back(SetWeights{{{base, 100}, {v, 0}}});
  if (reached >= Reached::registered) plan.emplace_back(SetSplit{{{base, 100}}});
  if (reached >= Reached::deployed) plan.emplace_back(RetireInstances{v});
  return plan;
}

bool StrategyBase::pending_is_wait() const {
  return pending_.has_value() && std::holds_alternative<WaitUntil>(pending_->body);
}

std::vector<Action> StrategyBase::issue(ActionBody body, std::uint64_t id) {
  if (id == 0) id = state_.next_action_id++;
  if (id >= state_.next_action_id) state_.next_action_id = id + 1;
  Action action{id, std::move(body)};
  const bool terminal = std::holds_alternative<Finish>(action.body);
  state_.pending_action_id = terminal ? 0 : id;
  if (terminal) {
    pending_.reset();
  } else {
    pending_ = action;
  }
  return {std::move(action)};
}

std::vector<Action> StrategyBase::next_rollback_action(std::uint64_t reuse_id) {
  auto plan = rollback_plan(state_.rollback_from);
  // on_rollback hooks run once the baseline is restored, only if something had to be undone.
  if (!plan.empty() && has_hooks(HookPhase::on_rollback)) plan.emplace_back(RunHooks{HookPhase::on_rollback, 0});
  if (state_.rollback_index >= plan.size()) {
    const auto result = state_.result == to_string(RolloutResult::aborted) ? RolloutResult::aborted
                                                                            : RolloutResult::failed;
    return finish(result, state_.reason);
  }
  return issue(plan[state_.rollback_index], reuse_id);
}

std::vector<Action> StrategyBase::on_reply(const Observation& observation, std::uint64_t id, std::int64_t now_ms) {
  if (id == 0 || id != state_.pending_action_id) return {};  // stale: cancelled by promote/abort
  if (mode_ == Mode::rolling_back && pending_) {
    // The baseline has its traffic back: say so in the snapshot before the cleanup finishes.
    if (const auto* weights = std::get_if<SetWeights>(&pending_->body)) {
      if (auto it = weights->weights.find(spec_.version); it != weights->weights.end()) state_.weight = it->second;
    }
  }
  pending_.reset();
  state_.pending_action_id = 0;
  if (mode_ == Mode::rolling_back) {
    ++state_.rollback_index;
    return next_rollback_action();
  }
  return completed(observation, now_ms);
}

std::vector<Action> StrategyBase::on_failure(std::uint64_t id, const std::string& reason, std::int64_t now_ms) {
  if (id == 0 || id != state_.pending_action_id) return {};
  pending_.reset();
  state_.pending_action_id = 0;
  if (mode_ == Mode::rolling_back) {
    state_.reason += "; rollback step " + std::to_string(state_.rollback_index + 1) + " failed: " + reason;
    ++state_.rollback_index;
    return next_rollback_action();
  }
  auto why = std::string(phase_name()) + " failed: " + reason;
  if (!can_roll_back()) return failed_late(std::move(why));
  return roll_back(RolloutResult::failed, std::move(why), now_ms);
}

std::vector<Action> StrategyBase::on_manual(ManualCommand command, std::int64_t now_ms) {
  if (mode_ != Mode::running) return {};
  switch (command) {
    case ManualCommand::abort:
      if (!can_roll_back()) return {};
      return roll_back(RolloutResult::aborted, "aborted by operator", now_ms);
    case ManualCommand::pause:
      state_.paused = true;
      return {};
    case ManualCommand::resume:
      state_.paused = false;
      if (!state_.held) return {};
      state_.held = false;
      return issue(phase_action(now_ms, true));
    case ManualCommand::promote:
      if (state_.held) {  // an explicit promote passes the pause's hold once
        state_.held = false;
        return issue(phase_action(now_ms, true));
      }
      return promote(now_ms);
  }
  return {};
}

std::vector<Action> StrategyBase::on_tick(std::int64_t now_ms) {
  if (mode_ != Mode::running || !pending_is_wait()) return {};
  if (now_ms < std::get<WaitUntil>(pending_->body).time_ms) return {};
  return on_reply(ActionSucceeded{pending_->id}, pending_->id, now_ms);
}

std::vector<Action> StrategyBase::on_health(const InstancesHealthy& health, std::int64_t now_ms) {
  if (health.id != 0 && health.id == state_.pending_action_id) {
    return on_reply(health, health.id, now_ms);
  }
  // An unsolicited update (an instance went down or came back).
  if (health.version != spec_.version || health.healthy == state_.healthy_new) return {};
  state_.healthy_new = health.healthy;
  if (mode_ != Mode::running || state_.held) return {};
  return health_changed(now_ms);
}

}  // namespace switchyard::controller::rollout
