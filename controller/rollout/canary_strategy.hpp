#pragma once
// CanaryStrategy: moves traffic to the new version step by step (strategy.steps), judging each
// step by analysis against the baseline in the same window. Phases and transitions: docs/rollouts.md.
// pass -> next step; inconclusive (too little data, or fewer healthy instances than the step
// needs) -> hold and re-analyse after spec.recheck_ms, failing after analysis.inconclusive_limit in
// a row; fail -> rollback (weights back on the baseline first). Control-thread only.

#include <array>
#include <string_view>

#include "controller/rollout/strategy_base.hpp"

namespace switchyard::controller::rollout {

enum class CanaryPhase {
    pre_hooks, deploy, register_upstream, set_weights, step_hooks, wait, analyze, recheck_wait,
    post_hooks, final_split, retire_baseline, traffic_hooks
};
// traffic_hooks (pre_traffic hooks) is last so that snapshots of older controllers still load.
inline constexpr std::array<std::string_view, 12> kCanaryPhaseNames{
    "pre_hooks", "deploy", "register_upstream", "set_weights", "step_hooks", "wait", "analyze",
    "recheck_wait", "post_hooks", "final_split", "retire_baseline", "traffic_hooks"
};

class CanaryStrategy final : public PhasedStrategy<CanaryPhase, 12> {
 public:
  explicit CanaryStrategy(RolloutSpec spec);

 private:
  using Phase = CanaryPhase;

  std::vector<Action> begin(std::int64_t now_ms) override;
  ActionBody phase_action(std::int64_t now_ms, bool fresh) override;
  std::vector<Action> completed(const Observation& reply, std::int64_t now_ms) override;
  std::vector<Action> promote(std::int64_t now_ms) override;
  std::vector<Action> health_changed(std::int64_t now_ms) override;
  bool can_roll_back() const override { return phase_ != Phase::retire_baseline; }
  std::vector<ActionBody> rollback_plan(std::string_view failed_phase) const override;

  std::vector<Action> deployed(const Observation& reply, std::int64_t now_ms);
  std::vector<Action> judge(const Verdict& verdict, std::int64_t now_ms);
  std::vector<Action> next_step(std::int64_t now_ms, bool pausable);
  std::uint32_t step_weight() const;  // the configured weight of the current step
  std::uint32_t step_count() const;
};

}  // namespace switchyard::controller::rollout
