#pragma once
// RollingStrategy: replaces the baseline's instances by the new version's inside the route's
// upstream, a batch at a time (batch = max(1, max_surge + max_unavailable)); each batch must
// report all its new instances healthy before the next starts. The executor registers a new
// instance only once healthy, so traffic never reaches an unhealthy one, and cleans up a batch
// that failed half-way itself. On failure the replaced instances are replaced back. Phases:
// docs/rollouts.md. Control-thread only.

#include <array>
#include <string_view>

#include "controller/rollout/strategy_base.hpp"

namespace switchyard::controller::rollout {

enum class RollingPhase { pre_hooks, replace_batch, post_hooks };
inline constexpr std::array<std::string_view, 3> kRollingPhaseNames{
    "pre_hooks", "replace_batch", "post_hooks"
};

class RollingStrategy final : public PhasedStrategy<RollingPhase, 3> {
 public:
  explicit RollingStrategy(RolloutSpec spec);

 private:
  using Phase = RollingPhase;

  std::vector<Action> begin(std::int64_t now_ms) override;
  ActionBody phase_action(std::int64_t now_ms, bool fresh) override;
  std::vector<Action> completed(const Observation& reply, std::int64_t now_ms) override;
  bool can_roll_back() const override { return true; }
  std::vector<ActionBody> rollback_plan(std::string_view failed_phase) const override;

  std::vector<Action> batch_done(const Observation& reply, std::int64_t now_ms);
  std::uint32_t batch_count() const;  // instances in the current batch
};

}  // namespace switchyard::controller::rollout
