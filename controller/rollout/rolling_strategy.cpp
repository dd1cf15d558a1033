#include "controller/rollout/rolling_strategy.hpp"

#include <algorithm>

namespace switchyard::controller::rollout {

RollingStrategy::RollingStrategy(RolloutSpec spec) : PhasedStrategy(std::move(spec), "rolling", kRollingPhaseNames) {}

std::vector<Action> RollingStrategy::begin(std::int64_t now_ms) {
  return go(has_hooks(HookPhase::pre_deploy) ? Phase::pre_hooks : Phase::replace_batch, now_ms);
}

std::uint32_t RollingStrategy::batch_count() const {
  const auto& s = spec().strategy;
  const std::uint32_t batch = std::max<std::uint32_t>(1, s.max_surge + s.max_unavailable);
  const std::uint32_t left = spec().instances > state().replaced ? spec().instances - state().replaced : 0;
  return std::min(batch, left);
}

ActionBody RollingStrategy::phase_action(std::int64_t /*now_ms*/, bool /*fresh*/) {
  const auto& s = spec();
  switch (phase_) {
    case Phase::pre_hooks: return RunHooks{HookPhase::pre_deploy, 0};
    case Phase::replace_batch: return ReplaceInstances{s.baseline_version, s.version, batch_count()};
    case Phase::post_hooks: return RunHooks{HookPhase::post_deploy, 0};
  }
  return Finish{RolloutResult::failed, "unreachable rolling phase", {}};
}

std::vector<Action> RollingStrategy::completed(const Observation& reply, std::int64_t now_ms) {
  switch (phase_) {
    case Phase::pre_hooks: return go(Phase::replace_batch, now_ms);
    case Phase::replace_batch: return batch_done(reply, now_ms);
    case Phase::post_hooks:
      return finish(RolloutResult::succeeded, "replaced " + std::to_string(spec().instances) + " instances");
  }
  return {};
}

std::vector<Action> RollingStrategy::batch_done(const Observation& reply, std::int64_t now_ms) {
  auto& st = state();
  const auto wanted = batch_count();
  const auto* health = std::get_if<InstancesHealthy>(&reply);
  const auto healthy = std::min(wanted, health != nullptr ? health->healthy : wanted);
  st.replaced += healthy;
  st.healthy_new = st.replaced;
  st.weight = spec().instances == 0 ? 100 : st.replaced * 100 / spec().instances;
  if (healthy < wanted) {
    return roll_back(RolloutResult::failed,
                     "only " + std::to_string(healthy) + " of " + std::to_string(wanted) + " new instances healthy",
                     now_ms);
  }
  if (st.replaced < spec().instances) return go(Phase::replace_batch, now_ms, true);
  if (has_hooks(HookPhase::post_deploy)) return go(Phase::post_hooks, now_ms, true);
  return finish(RolloutResult::succeeded, "replaced " + std::to_string(spec().instances) + " instances");
}

std::vector<ActionBody> RollingStrategy::rollback_plan(std::string_view /*failed_phase*/) const {
  if (state().replaced == 0) return {};
  return {ReplaceInstances{spec().version, spec().baseline_version, state().replaced}};
}

}  // namespace switchyard::controller::rollout
