#include "controller/rollout/recreate_strategy.hpp"

namespace switchyard::controller::rollout {

RecreateStrategy::RecreateStrategy(RolloutSpec spec)
    : PhasedStrategy(std::move(spec), "recreate", kRecreatePhaseNames) {}

std::vector<Action> RecreateStrategy::begin(std::int64_t now_ms) {
  return go(has_hooks(HookPhase::pre_deploy) ? Phase::pre_hooks : Phase::retire_old, now_ms);
}

ActionBody RecreateStrategy::phase_action(std::int64_t now_ms, bool fresh) {
  const auto& s = spec();
  switch (phase_) {
    case Phase::pre_hooks: return RunHooks{HookPhase::pre_deploy, 0};
    case Phase::retire_old:
      if (fresh) state().mark_ms = now_ms;  // downtime starts with the first stop
      return RetireInstances{s.baseline_version};
    case Phase::deploy: return DeployInstances{s.version, s.instances};
    case Phase::register_upstream: return RegisterUpstream{s.version};
    case Phase::switch_split: return SetSplit{{{s.version, 100}}};
    case Phase::post_hooks: return RunHooks{HookPhase::post_deploy, 0};
    case Phase::traffic_hooks: return RunHooks{HookPhase::pre_traffic, 0};
  }
  return Finish{RolloutResult::failed, "unreachable recreate phase", {}};
}

std::vector<Action> RecreateStrategy::completed(const Observation& reply, std::int64_t now_ms) {
  auto& st = state();
  switch (phase_) {
    case Phase::pre_hooks: return go(Phase::retire_old, now_ms, true);
    case Phase::retire_old: return go(Phase::deploy, now_ms);
    case Phase::deploy: return deployed(reply, now_ms);
    case Phase::register_upstream:
      return go(has_hooks(HookPhase::pre_traffic) ? Phase::traffic_hooks : Phase::switch_split, now_ms);
    case Phase::traffic_hooks: return go(Phase::switch_split, now_ms);
    case Phase::switch_split:
      st.weight = 100;
      st.figures["downtime_ms"] = now_ms - st.mark_ms;
      if (has_hooks(HookPhase::post_deploy)) return go(Phase::post_hooks, now_ms);
      return finish(RolloutResult::succeeded, "recreated with " + spec().version);
    case Phase::post_hooks: return finish(RolloutResult::succeeded, "recreated with " + spec().version);
  }
  return {};
}

std::vector<Action> RecreateStrategy::deployed(const Observation& reply, std::int64_t now_ms) {
  auto& st = state();
  const auto* health = std::get_if<InstancesHealthy>(&reply);
  st.healthy_new = health != nullptr ? health->healthy : spec().instances;
  if (st.healthy_new == 0) {
    return roll_back(RolloutResult::failed, "no instance of " + spec().version + " became healthy", now_ms);
  }
  st.figures["to_healthy_ms"] = now_ms - st.mark_ms;
  return go(Phase::register_upstream, now_ms);
}

std::vector<ActionBody> RecreateStrategy::rollback_plan(std::string_view failed_phase) const {
  const auto phase = phase_named(failed_phase).value_or(Phase::deploy);
  const auto& s = spec();
  std::vector<ActionBody> plan;
  if (phase == Phase::pre_hooks) return plan;  // nothing was touched
  if (phase != Phase::retire_old) plan.emplace_back(RetireInstances{s.version});
  // The old instances are gone (or going): bring the baseline back and give it the route.
  plan.emplace_back(DeployInstances{s.baseline_version, s.instances});
  plan.emplace_back(RegisterUpstream{s.baseline_version});
  plan.emplace_back(SetSplit{{{s.baseline_version, 100}}});
  return plan;
}

}  // namespace switchyard::controller::rollout
