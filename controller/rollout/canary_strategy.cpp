#include "controller/rollout/canary_strategy.hpp"

#include <algorithm>

namespace switchyard::controller::rollout {

CanaryStrategy::CanaryStrategy(RolloutSpec spec) : PhasedStrategy(std::move(spec), "canary", kCanaryPhaseNames) {}

std::vector<Action> CanaryStrategy::begin(std::int64_t now_ms) {
  return go(has_hooks(HookPhase::pre_deploy) ? Phase::pre_hooks : Phase::deploy, now_ms);
}

std::uint32_t CanaryStrategy::step_count() const {
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(spec().strategy.steps.size()));
}

std::uint32_t CanaryStrategy::step_weight() const {
  const auto& steps = spec().strategy.steps;
  if (steps.empty()) return 100;  // no steps configured: one step straight to 100
  return std::min<std::uint32_t>(100, steps[std::min<std::size_t>(state().step_index, steps.size() - 1)]);
}

ActionBody CanaryStrategy::phase_action(std::int64_t now_ms, bool fresh) {
  const auto& s = spec();
  auto& st = state();
  const std::int64_t pause_ms = static_cast<std::int64_t>(s.strategy.pause_s) * 1000;
  switch (phase_) {
    case Phase::pre_hooks: return RunHooks{HookPhase::pre_deploy, 0};
    case Phase::deploy: return DeployInstances{s.version, s.instances};
    case Phase::register_upstream: return RegisterUpstream{s.version};
    case Phase::set_weights:
      // Never more traffic than the healthy instances were sized for.
      if (fresh) st.weight = max_safe_weight(st.healthy_new, s.instances, step_weight());
      return SetWeights{{{s.baseline_version, 100 - st.weight}, {s.version, st.weight}}};
    case Phase::step_hooks: return RunHooks{HookPhase::per_step, st.step_index};
    case Phase::traffic_hooks: return RunHooks{HookPhase::pre_traffic, 0};
    case Phase::wait:
      if (fresh) st.deadline_ms = now_ms + pause_ms;
      return WaitUntil{st.deadline_ms};
    case Phase::recheck_wait:
      if (fresh) st.deadline_ms = now_ms + s.recheck_ms;
      return WaitUntil{st.deadline_ms};
    case Phase::analyze: return Analyze{static_cast<std::uint32_t>(std::max<std::int64_t>(pause_ms, 1000))};
    case Phase::post_hooks: return RunHooks{HookPhase::post_deploy, st.step_index};
    case Phase::final_split: return SetSplit{{{s.version, 100}}};
    case Phase::retire_baseline: return RetireInstances{s.baseline_version};
  }
  return Finish{RolloutResult::failed, "unreachable canary phase", {}};
}

std::vector<Action> CanaryStrategy::completed(const Observation& reply, std::int64_t now_ms) {
  auto& st = state();
  switch (phase_) {
    case Phase::pre_hooks: return go(Phase::deploy, now_ms);
    case Phase::deploy: return deployed(reply, now_ms);
    case Phase::register_upstream:
      st.step_index = 0;
      if (has_hooks(HookPhase::pre_traffic)) return go(Phase::traffic_hooks, now_ms);
      return go(Phase::set_weights, now_ms, true);
    case Phase::traffic_hooks: return go(Phase::set_weights, now_ms, true);
    case Phase::set_weights:
      return go(has_hooks(HookPhase::per_step) ? Phase::step_hooks : Phase::wait, now_ms);
    case Phase::step_hooks: return go(Phase::wait, now_ms);
    case Phase::wait: return go(Phase::analyze, now_ms);
    case Phase::recheck_wait:
      // Capacity may have come back: re-apply the step's weight before judging it again.
      if (st.weight < max_safe_weight(st.healthy_new, spec().instances, step_weight())) {
        return go(Phase::set_weights, now_ms);
      }
      return go(Phase::analyze, now_ms);
    case Phase::analyze: {
      const auto* result = std::get_if<AnalysisResult>(&reply);
      if (result == nullptr) return roll_back(RolloutResult::failed, "analysis answered without a verdict", now_ms);
      return judge(result->verdict, now_ms);
    }
    case Phase::post_hooks: return go(Phase::final_split, now_ms);
    case Phase::final_split: st.weight = 100; return go(Phase::retire_baseline, now_ms);
    case Phase::retire_baseline: return finish(RolloutResult::succeeded, "promoted to 100%");
  }
  return {};
}

std::vector<Action> CanaryStrategy::deployed(const Observation& reply, std::int64_t now_ms) {
  auto& st = state();
  const auto* health = std::get_if<InstancesHealthy>(&reply);
  st.healthy_new = health != nullptr ? health->healthy : spec().instances;
  if (st.healthy_new == 0) {
    return roll_back(RolloutResult::failed, "no instance of " + spec().version + " became healthy", now_ms);
  }
  return go(Phase::register_upstream, now_ms);
}

std::vector<Action> CanaryStrategy::judge(const Verdict& verdict, std::int64_t now_ms) {
  auto& st = state();
  const auto step = "step " + std::to_string(st.step_index + 1) + " (" + std::to_string(step_weight()) + "%)";
  st.figures["analysis"] = {{"verdict", to_string(verdict.kind)},
                            {"reason", verdict.reason},
                            {"step_index", st.step_index},
                            {"weight", st.weight},
                            {"figures", verdict.figures}};
  if (verdict.kind == VerdictKind::fail) {
    return roll_back(RolloutResult::failed, "analysis failed at " + step + ": " + verdict.reason, now_ms);
  }
  const bool short_of_capacity = st.weight < step_weight();
  if (verdict.kind == VerdictKind::pass && !short_of_capacity) {
    st.inconclusive_count = 0;
    return next_step(now_ms, true);
  }
  // Too little data, or the step ran below its weight: hold the step, never pass it.
  const auto why = verdict.kind == VerdictKind::pass
                       ? "only " + std::to_string(st.healthy_new) + " of " + std::to_string(spec().instances) +
                             " instances healthy (weight " + std::to_string(st.weight) + "%)"
                       : verdict.reason;
  const auto limit = std::max<std::uint32_t>(1, spec().strategy.analysis.inconclusive_limit);
  if (++st.inconclusive_count >= limit) {
    return roll_back(RolloutResult::failed,
                     "inconclusive " + std::to_string(st.inconclusive_count) + " times in a row at " + step + ": " + why,
                     now_ms);
  }
  return go(Phase::recheck_wait, now_ms);
}

std::vector<Action> CanaryStrategy::next_step(std::int64_t now_ms, bool pausable) {
  auto& st = state();
  st.inconclusive_count = 0;
  if (st.step_index + 1 < step_count()) {
    ++st.step_index;
    return go(Phase::set_weights, now_ms, pausable);
  }
  return go(has_hooks(HookPhase::post_deploy) ? Phase::post_hooks : Phase::final_split, now_ms, pausable);
}

std::vector<Action> CanaryStrategy::promote(std::int64_t now_ms) {
  // Promote skips the wait and the analysis of the current step (or finishes at the last step).
  if (phase_ != Phase::wait && phase_ != Phase::analyze && phase_ != Phase::recheck_wait) return {};
  return next_step(now_ms, false);
}

std::vector<Action> CanaryStrategy::health_changed(std::int64_t now_ms) {
  // Lost instances: cut the share at once rather than at the next step (the step starts over).
  // Recovered ones are picked up by the next recheck or step, never mid-analysis.
  const bool settled = phase_ == Phase::step_hooks || phase_ == Phase::wait || phase_ == Phase::analyze ||
                       phase_ == Phase::recheck_wait;
  if (!settled || max_safe_weight(state().healthy_new, spec().instances, step_weight()) >= state().weight) return {};
  return go(Phase::set_weights, now_ms);
}

std::vector<ActionBody> CanaryStrategy::rollback_plan(std::string_view failed_phase) const {
  const auto phase = phase_named(failed_phase).value_or(Phase::set_weights);
  switch (phase) {
    case Phase::pre_hooks: return undo_new_version(Reached::nothing);
    case Phase::deploy: return undo_new_version(Reached::deployed);
    case Phase::register_upstream:
    case Phase::traffic_hooks: return undo_new_version(Reached::registered);
    default: return undo_new_version(Reached::weighted);
  }
}

}  // namespace switchyard::controller::rollout
