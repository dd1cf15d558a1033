#pragma once
// RecreateStrategy: stops every instance of the old version, then starts the new one (downtime
// allowed, stated as such). Records in the result's figures `to_healthy_ms` (old retired -> new
// healthy) and `downtime_ms` (old retired -> split on the new version: when traffic flows again).
// On failure the baseline is deployed again. Phases: docs/rollouts.md. Control-thread only.

#include <array>
#include <string_view>

#include "controller/rollout/strategy_base.hpp"

namespace switchyard::controller::rollout {

enum class RecreatePhase { pre_hooks, retire_old, deploy, register_upstream, switch_split, post_hooks, traffic_hooks };
// traffic_hooks (pre_traffic hooks, before the switch) is last: older snapshots still load.
inline constexpr std::array<std::string_view, 7> kRecreatePhaseNames{
    "pre_hooks", "retire_old", "deploy", "register_upstream", "switch", "post_hooks", "traffic_hooks"
};

class RecreateStrategy final : public PhasedStrategy<RecreatePhase, 7> {
 public:
  explicit RecreateStrategy(RolloutSpec spec);

 private:
  using Phase = RecreatePhase;

  std::vector<Action> begin(std::int64_t now_ms) override;
  ActionBody phase_action(std::int64_t now_ms, bool fresh) override;
  std::vector<Action> completed(const Observation& reply, std::int64_t now_ms) override;
  bool can_roll_back() const override { return true; }
  std::vector<ActionBody> rollback_plan(std::string_view failed_phase) const override;

  std::vector<Action> deployed(const Observation& reply, std::int64_t now_ms);
};

}  // namespace switchyard::controller::rollout
