#include "controller/rollout/rollout.hpp"

#include "controller/rollout/blue_green_strategy.hpp"
#include "controller/rollout/canary_strategy.hpp"
#include "controller/rollout/recreate_strategy.hpp"
#include "controller/rollout/rolling_strategy.hpp"

namespace switchyard::controller::rollout {

std::unique_ptr<Strategy> make_strategy(const RolloutSpec& spec) {
  const auto& kind = spec.strategy.kind;
  if (kind == "canary") return std::make_unique<CanaryStrategy>(spec);
  if (kind == "blue-green") return std::make_unique<BlueGreenStrategy>(spec);
  if (kind == "rolling") return std::make_unique<RollingStrategy>(spec);
  if (kind == "recreate") return std::make_unique<RecreateStrategy>(spec);
  return nullptr;
}

Rollout::Rollout(RolloutSpec spec, std::int64_t now_ms)
    : spec_(std::move(spec)), created_ms_(now_ms), strategy_(make_strategy(spec_)) {}

std::optional<Rollout> Rollout::restore(RolloutSpec spec, const RolloutSnapshot& snapshot, std::int64_t now_ms,
                                        std::string& error) {
  Rollout rollout(std::move(spec), now_ms);
  if (!rollout.strategy_) {
    error = "unknown strategy kind \"" + rollout.spec_.strategy.kind + "\"";
    return std::nullopt;
  }
  if (!rollout.strategy_->load(snapshot, error)) return std::nullopt;
  return rollout;
}

std::vector<Action> Rollout::start(std::int64_t now_ms) {
  if (strategy_) return strategy_->start(now_ms);
  if (unknown_finished_) return {};
  unknown_finished_ = true;
  return {Action{1, Finish{RolloutResult::failed, "unknown strategy kind \"" + spec_.strategy.kind + "\"", {}}}};
}

std::vector<Action> Rollout::on(const Observation& observation, std::int64_t now_ms) {
  return strategy_ ? strategy_->on(observation, now_ms) : std::vector<Action>{};
}

std::vector<Action> Rollout::resume(std::int64_t now_ms) {
  return strategy_ ? strategy_->resume(now_ms) : std::vector<Action>{};
}

RolloutSnapshot Rollout::snapshot() const {
  if (strategy_) return strategy_->snapshot();
  RolloutSnapshot out;
  out.kind = spec_.strategy.kind;
  out.phase = unknown_finished_ ? "finished" : "pre_start";
  out.result = unknown_finished_ ? "failed" : "";
  return out;
}

bool Rollout::finished() const { return strategy_ ? strategy_->finished() : unknown_finished_; }

}  // namespace switchyard::controller::rollout
