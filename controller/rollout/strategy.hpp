#pragma once
// Strategy: one rollout's state machine (canary, blue-green, rolling, recreate). Pure: it never
// performs I/O, never reads a clock (the time is passed in) and never sleeps, so every transition
// is unit-tested with a fake clock. Driven by the executor: start() once, then on() for every
// observation; each call returns the actions to perform now (zero or one awaited action, or a
// terminal Finish). Control-thread only (not thread-safe); lives as long as its rollout row.

#include <cstdint>
#include <vector>

#include "controller/rollout/action.hpp"
#include "controller/rollout/rollout_spec.hpp"

namespace switchyard::controller::rollout {

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::vector<Action> start(std::int64_t now_ms) = 0;
  virtual std::vector<Action> on(const Observation& observation, std::int64_t now_ms) = 0;
  // After load(): re-issues the action that was pending when the snapshot was taken (it may not
  // have completed before a crash), with the same id; nothing when held by a pause or finished.
  virtual std::vector<Action> resume(std::int64_t now_ms) = 0;
  virtual RolloutSnapshot snapshot() const = 0;
  // Replaces the state by a persisted one; false (with `error`) when it does not fit this strategy.
  virtual bool load(const RolloutSnapshot& snapshot, std::string& error) = 0;
  virtual bool finished() const = 0;
};

}  // namespace switchyard::controller::rollout
