#include "controller/rollout/blue_green_strategy.hpp"

namespace switchyard::controller::rollout {

BlueGreenStrategy::BlueGreenStrategy(RolloutSpec spec)
    : PhasedStrategy(std::move(spec), "blue-green", kBlueGreenPhaseNames) {}

std::vector<Action> BlueGreenStrategy::begin(std::int64_t now_ms) {
  return go(has_hooks(HookPhase::pre_deploy) ? Phase::pre_hooks : Phase::deploy, now_ms);
}

ActionBody BlueGreenStrategy::phase_action(std::int64_t now_ms, bool fresh) {
  const auto& s = spec();
  auto& st = state();
  switch (phase_) {
    case Phase::pre_hooks: return RunHooks{HookPhase::pre_deploy, 0};
    case Phase::deploy: return DeployInstances{s.version, s.instances};
    case Phase::register_upstream: return RegisterUpstream{s.version};
    case Phase::preview: return PinPreview{s.version};
    case Phase::preview_wait:
      if (fresh) st.deadline_ms = now_ms + static_cast<std::int64_t>(s.strategy.pause_s) * 1000;
      return WaitUntil{st.deadline_ms};
    case Phase::gate: return RunHooks{HookPhase::per_step, 0};
    case Phase::traffic_hooks: return RunHooks{HookPhase::pre_traffic, 0};
    case Phase::switch_traffic: return SetWeights{{{s.version, 100}, {s.baseline_version, 0}}};
    case Phase::post_hooks: return RunHooks{HookPhase::post_deploy, 0};
    case Phase::scale_down_wait:
      if (fresh) st.deadline_ms = now_ms + static_cast<std::int64_t>(s.strategy.scale_down_delay_s) * 1000;
      return WaitUntil{st.deadline_ms};
    case Phase::final_split: return SetSplit{{{s.version, 100}}};
    case Phase::retire_old: return RetireInstances{s.baseline_version};
  }
  return Finish{RolloutResult::failed, "unreachable blue-green phase", {}};
}

std::vector<Action> BlueGreenStrategy::completed(const Observation& reply, std::int64_t now_ms) {
  switch (phase_) {
    case Phase::pre_hooks: return go(Phase::deploy, now_ms);
    case Phase::deploy: return deployed(reply, now_ms);
    case Phase::register_upstream:
      if (has_hooks(HookPhase::pre_traffic)) return go(Phase::traffic_hooks, now_ms);
      return spec().strategy.preview ? go(Phase::preview, now_ms) : to_gate(now_ms, true);
    case Phase::traffic_hooks:
      return spec().strategy.preview ? go(Phase::preview, now_ms) : to_gate(now_ms, true);
    case Phase::preview: return go(Phase::preview_wait, now_ms);
    case Phase::preview_wait: return to_gate(now_ms, true);
    case Phase::gate: return go(Phase::switch_traffic, now_ms, true);
    case Phase::switch_traffic:
      state().weight = 100;
      return go(has_hooks(HookPhase::post_deploy) ? Phase::post_hooks : Phase::scale_down_wait, now_ms);
    case Phase::post_hooks: return go(Phase::scale_down_wait, now_ms);
    case Phase::scale_down_wait: return go(Phase::final_split, now_ms, true);
    case Phase::final_split: return go(Phase::retire_old, now_ms);
    case Phase::retire_old: return finish(RolloutResult::succeeded, "switched to " + spec().version);
  }
  return {};
}

std::vector<Action> BlueGreenStrategy::deployed(const Observation& reply, std::int64_t now_ms) {
  auto& st = state();
  const auto* health = std::get_if<InstancesHealthy>(&reply);
  st.healthy_new = health != nullptr ? health->healthy : spec().instances;
  // The switch hands the new colour all the traffic: it must be at full strength.
  if (st.healthy_new < spec().instances) {
    return roll_back(RolloutResult::failed,
                     "only " + std::to_string(st.healthy_new) + " of " + std::to_string(spec().instances) +
                         " instances of " + spec().version + " healthy",
                     now_ms);
  }
  return go(Phase::register_upstream, now_ms);
}

std::vector<Action> BlueGreenStrategy::to_gate(std::int64_t now_ms, bool pausable) {
  return go(has_hooks(HookPhase::per_step) ? Phase::gate : Phase::switch_traffic, now_ms, pausable);
}

std::vector<Action> BlueGreenStrategy::promote(std::int64_t now_ms) {
  if (phase_ == Phase::preview_wait) return to_gate(now_ms, false);
  if (phase_ == Phase::scale_down_wait) return go(Phase::final_split, now_ms);
  return {};
}

std::vector<ActionBody> BlueGreenStrategy::rollback_plan(std::string_view failed_phase) const {
  const auto phase = phase_named(failed_phase).value_or(Phase::switch_traffic);
  switch (phase) {
    case Phase::pre_hooks: return undo_new_version(Reached::nothing);
    case Phase::deploy: return undo_new_version(Reached::deployed);
    case Phase::register_upstream:
    case Phase::traffic_hooks: return undo_new_version(Reached::registered);
    default: return undo_new_version(Reached::weighted);  // weights back on the old colour first
  }
}

}  // namespace switchyard::controller::rollout
