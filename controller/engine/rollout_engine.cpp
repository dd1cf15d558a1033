#include "controller/engine/rollout_engine.hpp"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

namespace switchyard::controller::engine {

namespace asio = boost::asio;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

RolloutEngine::RolloutEngine(asio::io_context& control, const config::ControllerConfig& config,
                             store::StateStore& store, ActionExecutor& executor)
    : control_(control), config_(config), store_(store), executor_(executor) {}

RolloutEngine::~RolloutEngine() { *alive_ = false; }

rollout::RolloutSpec RolloutEngine::spec_for(const config::AppConfig& app, const config::EnvironmentConfig& env,
                                             const std::string& version, const std::string& baseline) const {
  rollout::RolloutSpec spec;
  spec.app = app.name;
  spec.env = env.name;
  spec.version = version;
  spec.baseline_version = baseline;
  spec.route = app.route;
  spec.instances = app.driver.instances;
  spec.strategy = app.strategy;
  spec.hooks = app.hooks;
  // Re-check an inconclusive step about as often as a step lasts (1..5 s).
  spec.recheck_ms = std::clamp<std::uint32_t>(app.strategy.pause_s * 1000, 1000, 5000);
  return spec;
}

std::string RolloutEngine::refuse_requires(const StartRequest& request, const config::EnvironmentConfig& env) {
  for (const auto& needed : env.requires_envs) {
    // `requires` concerns the code: a config-only label "V+cfg.x" needs V to have succeeded.
    auto done = store_.has_succeeded(request.app, needed, code_version(request.version));
    if (!done.ok()) return "state store: " + done.error();
    if (!done.value()) {
      return "version " + code_version(request.version) + " of " + request.app + " has not succeeded in environment '" + needed +
             "' (required by '" + env.name + "')";
    }
  }
  return {};
}

RolloutOutcome RolloutEngine::start(const StartRequest& asked) {
  const auto* app = config_.find_app(asked.app);
  if (!app) return EngineError{404, "unknown app '" + asked.app + "'"};
  const auto* env = config_.find_environment(asked.env);
  if (!env) return EngineError{404, "unknown environment '" + asked.env + "'"};
  StartRequest request = asked;
  if (request.config_only) {
    auto label = config_only_label(request);
    if (auto* error = std::get_if<EngineError>(&label)) return *error;
    request.version = std::get<std::string>(label);
  }
  if (request.version.empty()) return EngineError{400, "version must not be empty"};
  auto existing = store_.active_rollout(request.app, request.env);
  if (!existing.ok()) return EngineError{500, existing.error()};
  if (existing.value()) {
    return EngineError{409, "a rollout of " + request.app + " in " + request.env + " is already active (id " +
                                std::to_string(existing.value()->id) + ")"};
  }
  auto refusals = request.refusals;
  if (auto missing = refuse_requires(request, *env); !missing.empty()) refusals.push_back(missing);
  for (auto& unmet : refuse_dependencies(request, *app)) refusals.push_back(std::move(unmet));
  std::string missing;
  for (const auto& each : refusals) missing += (missing.empty() ? "" : "; ") + each;
  if (!missing.empty() && !request.force) return EngineError{409, missing};
  if (request.baseline.empty()) {
    return EngineError{409, "route '" + app->route + "' has no version on the proxies of " + request.env};
  }
  if (request.baseline == request.version) {
    return EngineError{409, "version " + request.version + " already carries the route's traffic"};
  }
  const auto now = now_ms();
  store::RolloutRow row;
  row.app = app->name;
  row.env = env->name;
  row.version = request.version;
  row.baseline_version = request.baseline;
  row.strategy = app->strategy.kind;
  row.state = "created";
  row.started_at = now;
  if (!missing.empty()) {
    row.forced_by = request.actor;
    row.forced_reason = request.reason.empty() ? missing : request.reason;
  }
  auto id = store_.create_rollout(row);
  if (!id.ok()) return EngineError{409, id.error()};
  row.id = id.value();
  if (!request.promoted_from.empty()) {
    if (auto status = store_.set_promoted_from(row.id, request.promoted_from); !status.ok()) {
      spdlog::error("rollout {}: cannot record its promotion: {}", row.id, status.error);
    }
  }
  rollout::Rollout machine(spec_for(*app, *env, request.version, request.baseline), now);
  auto [slot, inserted] = active_.emplace(row.id, Active{row.id, std::move(machine), nullptr, {}});
  slot->second.timer = std::make_unique<asio::steady_timer>(control_);
  spdlog::info("rollout {}: {} {} in {} (baseline {})", row.id, app->name, request.version, env->name,
               request.baseline);
  record_rollout_event(row, "rollout_started",
                       boost::json::object{{"version", row.version}, {"baseline", row.baseline_version},
                                           {"strategy", row.strategy},
                                           {"forced", row.forced_by.has_value()},
                                           {"promoted_from", request.promoted_from},
                                           {"config_only", request.config_only}});
  drive(row.id, slot->second.rollout.start(now));
  auto stored = store_.get_rollout(row.id);
  if (!stored.ok() || !stored.value()) return EngineError{500, "rollout vanished from the store"};
  return *stored.value();
}

RolloutOutcome RolloutEngine::manual(std::int64_t rollout_id, rollout::ManualCommand command) {
  auto stored = store_.get_rollout(rollout_id);
  if (!stored.ok()) return EngineError{500, stored.error()};
  if (!stored.value()) return EngineError{404, "no rollout " + std::to_string(rollout_id)};
  if (!find(rollout_id)) {
    return EngineError{409, "rollout " + std::to_string(rollout_id) + " is not active"};
  }
  feed(rollout_id, rollout::Manual{command});
  stored = store_.get_rollout(rollout_id);
  if (!stored.ok() || !stored.value()) return EngineError{500, "rollout vanished from the store"};
  return *stored.value();
}

void RolloutEngine::guard_tripped(const std::string& env, const std::string& route, const std::string& reason) {
  std::vector<std::int64_t> hit;
  for (const auto& [id, active] : active_) {
    const auto& spec = active.rollout.spec();
    if (spec.env == env && spec.route == route) hit.push_back(id);
  }
  record_guard_trip(env, route, reason, hit.empty() ? std::nullopt : std::optional<std::int64_t>(hit.front()));
  for (auto id : hit) {
    spdlog::warn("rollout {}: guard tripped on route {}: {}", id, route, reason);
    feed(id, rollout::GuardTripped{reason});
  }
}

std::optional<rollout::RolloutSnapshot> RolloutEngine::snapshot_of(std::int64_t rollout_id) const {
  auto found = active_.find(rollout_id);
  if (found == active_.end()) return std::nullopt;
  return found->second.rollout.snapshot();
}

RolloutEngine::Active* RolloutEngine::find(std::int64_t id) {
  auto found = active_.find(id);
  return found == active_.end() ? nullptr : &found->second;
}

void RolloutEngine::feed(std::int64_t id, const rollout::Observation& observation) {
  auto* active = find(id);
  if (!active) return;
  drive(id, active->rollout.on(observation, now_ms()));
}

// Persists what the machine now is, then performs its actions (SPEC: persisted before it acts).
void RolloutEngine::drive(std::int64_t id, std::vector<rollout::Action> actions) {
  auto* active = find(id);
  if (!active) return;
  persist(*active);
  for (auto& action : actions) {
    if (const auto* done = std::get_if<rollout::Finish>(&action.body)) {
      finish(*active, *done);
      return;
    }
    if (const auto* wait = std::get_if<rollout::WaitUntil>(&action.body)) {
      arm_timer(*active, wait->time_ms);
      continue;
    }
    const auto& spec = active->rollout.spec();
    ExecContext context{spec.app, spec.env, spec.version, spec.baseline_version, id,
                        active->persisted.weight};
    executor_.submit(std::move(context), std::move(action), [this, alive = alive_, id](ExecOutcome outcome) {
      asio::post(control_, [this, alive, id, outcome = std::move(outcome)]() mutable {
        if (*alive) on_outcome(id, std::move(outcome));
      });
    });
  }
}

void RolloutEngine::persist(Active& active) {
  auto snapshot = active.rollout.snapshot();
  if (snapshot == active.persisted) return;
  const auto now = now_ms();
  const bool changed = snapshot.phase != active.persisted.phase || snapshot.step_index != active.persisted.step_index ||
                       snapshot.weight != active.persisted.weight || snapshot.paused != active.persisted.paused;
  if (changed && snapshot.phase != "finished") {
    const auto state = snapshot.paused ? snapshot.phase + " (paused)" : snapshot.phase;
    if (auto status = store_.update_rollout_state(active.id, state, snapshot.step_index, snapshot.weight,
                                                  snapshot.reason, now);
        !status.ok()) {
      spdlog::error("rollout {}: cannot persist state: {}", active.id, status.error);
    }
    record_transition_events(active, snapshot);
  }
  if (auto status = store_.save_snapshot(active.id, boost::json::serialize(rollout::to_json(snapshot)));
      !status.ok()) {
    spdlog::error("rollout {}: cannot persist snapshot: {}", active.id, status.error);
  }
  active.persisted = std::move(snapshot);
}

void RolloutEngine::on_outcome(std::int64_t id, ExecOutcome outcome) {
  record_instances(outcome);
  record_hook_runs(id, outcome.hook_runs);
  if (const auto* analysis = std::get_if<rollout::AnalysisResult>(&outcome.observation)) {
    if (auto* active = find(id)) {
      store::AnalysisRow row;
      row.rollout_id = id;
      row.step_index = active->rollout.snapshot().step_index;
      row.at = now_ms();
      row.verdict = std::string(rollout::to_string(analysis->verdict.kind));
      row.figures_json = boost::json::serialize(analysis->verdict.figures);
      row.reason = analysis->verdict.reason;
      if (auto added = store_.add_analysis(row); !added.ok()) spdlog::error("rollout {}: {}", id, added.error());
      spdlog::info("rollout {}: analysis {}: {}", id, row.verdict, row.reason);
    }
  }
  if (const auto* failed = std::get_if<rollout::ActionFailed>(&outcome.observation)) {
    spdlog::warn("rollout {}: action {} failed: {}", id, failed->id, failed->reason);
  }
  feed(id, outcome.observation);
}

void RolloutEngine::record_instances(const ExecOutcome& outcome) {
  const auto now = now_ms();
  if (!outcome.deployed.empty() && !outcome.config_json.empty()) {
    const auto& first = outcome.deployed.front();
    if (auto status = store_.put_instance_config({outcome.config_hash, first.app, first.env, outcome.config_json, now});
        !status.ok()) {
      spdlog::error("cannot record configuration {}: {}", outcome.config_hash, status.error);
    }
  }
  for (const auto& owned : outcome.deployed) {
    store::InstanceRow row;
    row.app = owned.app;
    row.env = owned.env;
    row.version = owned.version;
    row.instance_index = owned.instance.index;
    row.pid = owned.instance.pid;
    row.port = owned.instance.port;
    row.state = store::kInstanceHealthy;
    row.log_path = owned.instance.log_path;
    row.started_at = now;
    row.proc_start_time = static_cast<std::int64_t>(owned.instance.start_time);
    row.config_hash = owned.config_hash;
    auto added = store_.add_instance(row);
    if (!added.ok()) {
      spdlog::error("cannot record instance pid {}: {}", row.pid, added.error());
      continue;
    }
    row.id = added.value();
    instance_rows_[row.pid] = row;
  }
  for (const auto& owned : outcome.retired) {
    auto found = instance_rows_.find(owned.instance.pid);
    if (found == instance_rows_.end()) continue;
    found->second.state = store::kInstanceStopped;
    found->second.stopped_at = now;
    if (auto status = store_.update_instance(found->second); !status.ok()) spdlog::error("{}", status.error);
    instance_rows_.erase(found);
  }
}

void RolloutEngine::finish(Active& active, const rollout::Finish& finish) {
  const auto id = active.id;
  const std::string result(rollout::to_string(finish.result));
  if (auto status = store_.finish_rollout(id, result, finish.reason, now_ms()); !status.ok()) {
    spdlog::error("rollout {}: cannot record the outcome: {}", id, status.error);
  }
  store::EventRow event;
  event.at = now_ms();
  event.kind = "rollout_" + result;
  event.app = active.rollout.spec().app;
  event.env = active.rollout.spec().env;
  event.rollout_id = id;
  auto detail = finish.figures;
  detail["version"] = active.rollout.spec().version;
  detail["baseline"] = active.rollout.spec().baseline_version;
  detail["reason"] = finish.reason;
  event.detail_json = boost::json::serialize(detail);
  record_event(std::move(event));
  spdlog::info("rollout {}: {} ({})", id, result, finish.reason);
  active.timer->cancel();
  active_.erase(id);
}

void RolloutEngine::arm_timer(Active& active, std::int64_t time_ms) {
  const auto delay = std::max<std::int64_t>(0, time_ms - now_ms());
  active.timer->expires_after(std::chrono::milliseconds(delay));
  active.timer->async_wait([this, alive = alive_, id = active.id](const boost::system::error_code& ec) {
    if (ec || !*alive) return;
    feed(id, rollout::Tick{});
  });
}

}  // namespace switchyard::controller::engine
