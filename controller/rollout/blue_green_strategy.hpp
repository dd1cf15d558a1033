#pragma once
// BlueGreenStrategy: deploys the new colour beside the old one, validates its health (all
// instances: the switch gives it all the traffic), optionally pins it for preview (reachable only
// through the route's override_header) for pause_s or until promoted, runs the per-step gate, then
// switches 100% in one weights call. The old colour stays for scale_down_delay_s: an abort, a guard
// trip or a failed post-deploy hook during that time switches back at once. Phases:
// docs/rollouts.md. Control-thread only.

#include <array>
#include <string_view>

#include "controller/rollout/strategy_base.hpp"

namespace switchyard::controller::rollout {

enum class BlueGreenPhase {
    pre_hooks, deploy, register_upstream, preview, preview_wait, gate, switch_traffic, post_hooks,
    scale_down_wait, final_split, retire_old, traffic_hooks
};
// traffic_hooks (pre_traffic hooks, before preview and switch) is last: older snapshots still load.
inline constexpr std::array<std::string_view, 12> kBlueGreenPhaseNames{
    "pre_hooks", "deploy", "register_upstream", "preview", "preview_wait", "gate", "switch",
    "post_hooks", "scale_down_wait", "final_split", "retire_old", "traffic_hooks"
};

class BlueGreenStrategy final : public PhasedStrategy<BlueGreenPhase, 12> {
 public:
  explicit BlueGreenStrategy(RolloutSpec spec);

 private:
  using Phase = BlueGreenPhase;

  std::vector<Action> begin(std::int64_t now_ms) override;
  ActionBody phase_action(std::int64_t now_ms, bool fresh) override;
  std::vector<Action> completed(const Observation& reply, std::int64_t now_ms) override;
  std::vector<Action> promote(std::int64_t now_ms) override;
  bool can_roll_back() const override { return phase_ != Phase::retire_old; }
  std::vector<ActionBody> rollback_plan(std::string_view failed_phase) const override;

  std::vector<Action> deployed(const Observation& reply, std::int64_t now_ms);
  std::vector<Action> to_gate(std::int64_t now_ms, bool pausable);
};

}  // namespace switchyard::controller::rollout
