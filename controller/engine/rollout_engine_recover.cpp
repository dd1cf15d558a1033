// RolloutEngine after a restart: instances are re-adopted and every unfinished rollout is
// restored from its last persisted snapshot, then resumed (it re-issues its pending action).
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include "controller/engine/rollout_engine.hpp"

namespace switchyard::controller::engine {

namespace asio = boost::asio;

void RolloutEngine::recover() {
  auto live = store_.live_instances();
  if (!live.ok()) spdlog::error("cannot read recorded instances: {}", live.error());
  std::vector<OwnedInstance> recorded;
  for (const auto& row : live.value()) {
    drivers::Instance instance;
    instance.index = static_cast<std::uint32_t>(row.instance_index);
    instance.pid = static_cast<pid_t>(row.pid);
    instance.port = static_cast<std::uint16_t>(row.port);
    instance.endpoint = "127.0.0.1:" + std::to_string(row.port);
    instance.log_path = row.log_path;
    instance.start_time = static_cast<std::uint64_t>(row.proc_start_time);
    recorded.push_back({row.app, row.env, row.version, instance, row.config_hash});
    instance_rows_[row.pid] = row;
  }
  auto active = store_.active_rollouts();
  if (!active.ok()) {
    spdlog::error("cannot read active rollouts: {}", active.error());
    return;
  }
  // Adoption runs first on the worker (FIFO), so the resumed actions find the instances.
  executor_.adopt(std::move(recorded), [this, alive = alive_](AdoptOutcome outcome) {
    asio::post(control_, [this, alive, outcome = std::move(outcome)]() mutable {
      if (*alive) adopted(std::move(outcome));
    });
  });
  const auto now = now_ms();
  for (const auto& row : active.value()) {
    const auto* app = config_.find_app(row.app);
    const auto* env = config_.find_environment(row.env);
    std::string error;
    std::optional<rollout::Rollout> restored;
    auto text = store_.snapshot(row.id);
    if (!app || !env) {
      error = "its app or environment is no longer configured";
    } else if (!text.ok()) {
      error = text.error();
    } else {
      boost::system::error_code ec;
      auto json = boost::json::parse(text.value(), ec);
      if (ec || !json.is_object()) {
        error = "unreadable snapshot";
      } else if (auto snapshot = rollout::snapshot_from_json(json.get_object(), error)) {
        restored = rollout::Rollout::restore(spec_for(*app, *env, row.version, row.baseline_version), *snapshot, now,
                                             error);
      }
    }
    if (!restored) {
      // Nothing safe to resume from (e.g. killed before the first action was persisted).
      spdlog::error("rollout {}: cannot resume: {}; marked failed", row.id, error);
      (void)store_.finish_rollout(row.id, store::kResultFailed, "cannot resume after restart: " + error, now);
      continue;
    }
    auto [slot, inserted] = active_.emplace(row.id, Active{row.id, std::move(*restored), nullptr, {}});
    slot->second.timer = std::make_unique<asio::steady_timer>(control_);
    slot->second.persisted = slot->second.rollout.snapshot();
    spdlog::info("rollout {}: resumed in phase {}", row.id, slot->second.persisted.phase);
    drive(row.id, slot->second.rollout.resume(now));
  }
}

void RolloutEngine::adopted(AdoptOutcome outcome) {
  const auto now = now_ms();
  for (const auto& owned : outcome.lost) {
    auto found = instance_rows_.find(owned.instance.pid);
    if (found == instance_rows_.end()) continue;
    found->second.state = store::kInstanceFailed;
    found->second.stopped_at = now;
    (void)store_.update_instance(found->second);
    instance_rows_.erase(found);
  }
  for (const auto& owned : outcome.alive) spdlog::info("adopted {} {} pid {}", owned.app, owned.version, owned.instance.pid);
  // A rollout whose new instances did not all survive learns it now (fewer healthy: the strategy
  // lowers the weight or rolls back).
  std::vector<std::pair<std::int64_t, rollout::InstancesHealthy>> updates;
  for (const auto& [id, active] : active_) {
    const auto& spec = active.rollout.spec();
    std::uint32_t alive = 0;
    bool had = false;
    for (const auto& owned : outcome.alive) alive += owned.app == spec.app && owned.env == spec.env && owned.version == spec.version;
    for (const auto& owned : outcome.lost) had |= owned.app == spec.app && owned.env == spec.env && owned.version == spec.version;
    if (had) updates.push_back({id, rollout::InstancesHealthy{0, spec.version, alive}});
  }
  for (const auto& [id, update] : updates) feed(id, update);
}

}  // namespace switchyard::controller::engine
