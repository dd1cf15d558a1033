#pragma once
// RolloutHarness: a fake executor for the rollout state machines. It keeps a fake clock, records
// every action the machine emits and answers the pending one as a successful executor would
// (deploys report all instances healthy, waits advance the clock to their deadline). Test-only.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "controller/rollout/rollout.hpp"

namespace switchyard::controller::rollout::testing {

inline RolloutSpec base_spec(std::string kind) {
  RolloutSpec spec;
  spec.app = "shop";
  spec.env = "staging";
  spec.version = "v2";
  spec.baseline_version = "v1";
  spec.route = "shop";
  spec.instances = 2;
  spec.recheck_ms = 5000;
  spec.strategy.kind = std::move(kind);
  spec.strategy.steps = {10, 50, 100};
  spec.strategy.pause_s = 30;
  spec.strategy.scale_down_delay_s = 60;
  spec.strategy.analysis.inconclusive_limit = 3;
  spec.hooks.pre_deploy = {config::HookConfig{"./migrate.sh", "", 60}};
  spec.hooks.per_step = {config::HookConfig{"", "http://127.0.0.1:1/gate", 60}};
  spec.hooks.post_deploy = {config::HookConfig{"", "http://127.0.0.1:1/smoke", 60}};
  return spec;
}

class RolloutHarness {
 public:
  explicit RolloutHarness(RolloutSpec spec, std::int64_t now = 1'000'000) : now_(now), rollout_(std::move(spec), now) {}

  RolloutHarness(Rollout rollout, std::int64_t now) : now_(now), rollout_(std::move(rollout)) {}

  std::int64_t& now() { return now_; }
  // Records actions obtained outside the harness (e.g. from Rollout::resume).
  void seed(const std::vector<Action>& actions) { record(actions); }
  Rollout& rollout() { return rollout_; }
  const std::vector<Action>& log() const { return log_; }
  // The last action emitted (the pending one, or Finish).
  const Action& last() const { return log_.back(); }
  template <class T>
  const T& last_as() const {
    const auto* body = std::get_if<T>(&last().body);
    EXPECT_NE(body, nullptr) << "last action is " << describe(last());
    static const T empty{};
    return body != nullptr ? *body : empty;
  }

  std::vector<Action> start() { return record(rollout_.start(now_)); }
  std::vector<Action> feed(const Observation& observation) { return record(rollout_.on(observation, now_)); }
  std::vector<Action> manual(ManualCommand command) { return feed(Manual{command}); }
  std::vector<Action> fail(std::string reason) { return feed(ActionFailed{last().id, std::move(reason)}); }
  std::vector<Action> verdict(VerdictKind kind, std::string reason = "r") {
    return feed(AnalysisResult{last().id, Verdict{kind, std::move(reason), {}}});
  }
  // Answers the pending action as a successful executor would.
  std::vector<Action> ok() {
    if (log_.empty()) {
      ADD_FAILURE() << "ok() before start()";
      return {};
    }
    const auto& action = last();
    if (const auto* deploy = std::get_if<DeployInstances>(&action.body)) {
      return feed(InstancesHealthy{action.id, deploy->version, deploy->count});
    }
    if (const auto* replace = std::get_if<ReplaceInstances>(&action.body)) {
      return feed(InstancesHealthy{action.id, replace->to, replace->count});
    }
    if (const auto* wait = std::get_if<WaitUntil>(&action.body)) {
      now_ = std::max(now_, wait->time_ms);
      return feed(Tick{});
    }
    if (std::holds_alternative<Analyze>(action.body)) return verdict(VerdictKind::pass, "fine");
    return feed(ActionSucceeded{action.id});
  }
  // ok() until the rollout finishes (bounded).
  void run_to_end(int limit = 200) {
    if (log_.empty()) start();
    for (int i = 0; i < limit && !rollout_.finished(); ++i) {
      if (ok().empty() && !rollout_.finished()) {
        ADD_FAILURE() << "machine stalled after " << describe(last());
        return;
      }
    }
  }
  // Names (with the key detail) of the actions emitted from index `from` on.
  std::vector<std::string> trace(std::size_t from = 0) const {
    std::vector<std::string> out;
    for (std::size_t i = from; i < log_.size(); ++i) out.push_back(short_name(log_[i]));
    return out;
  }
  // "weights v1=90,v2=10", "deploy v2 2", "wait", "finish failed", ...
  static std::string short_name(const Action& action) {
    const auto weights = [](const std::map<std::string, std::uint32_t>& w) {
      std::string out;
      for (const auto& [version, weight] : w) out += (out.empty() ? "" : ",") + version + "=" + std::to_string(weight);
      return out;
    };
    const auto& b = action.body;
    if (const auto* a = std::get_if<DeployInstances>(&b)) return "deploy " + a->version + " " + std::to_string(a->count);
    if (const auto* a = std::get_if<RegisterUpstream>(&b)) return "register " + a->version;
    if (const auto* a = std::get_if<SetWeights>(&b)) return "weights " + weights(a->weights);
    if (const auto* a = std::get_if<SetSplit>(&b)) return "split " + weights(a->weights);
    if (const auto* a = std::get_if<PinPreview>(&b)) return "preview " + a->version;
    if (const auto* a = std::get_if<RunHooks>(&b)) return "hooks " + std::string(to_string(a->phase));
    if (const auto* a = std::get_if<RetireInstances>(&b)) return "retire " + a->version;
    if (const auto* a = std::get_if<ReplaceInstances>(&b)) {
      return "replace " + a->from + ">" + a->to + " " + std::to_string(a->count);
    }
    if (std::holds_alternative<WaitUntil>(b)) return "wait";
    if (std::holds_alternative<Analyze>(b)) return "analyze";
    return "finish " + std::string(to_string(std::get<Finish>(b).result));
  }
  const Finish* finish() const {
    return log_.empty() ? nullptr : std::get_if<Finish>(&log_.back().body);
  }

 private:
  std::vector<Action> record(std::vector<Action> actions) {
    for (const auto& action : actions) log_.push_back(action);
    return actions;
  }

  std::int64_t now_;
  Rollout rollout_;
  std::vector<Action> log_;
};

inline std::string name_of(const std::vector<Action>& actions, std::size_t i = 0) {
  return i < actions.size() ? std::string(action_name(actions[i].body)) : std::string("<none>");
}

}  // namespace switchyard::controller::rollout::testing
