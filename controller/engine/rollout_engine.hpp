#pragma once
// RolloutEngine: runs the active rollouts (one per app and environment) of the controller.
// It drives each rollout's state machine (controller/rollout): every set of actions the machine
// emits is persisted first (snapshot + transition in the StateStore), then performed - waits with
// a timer on the control thread, everything else through the ActionExecutor's worker thread, whose
// outcomes are posted back here. Analyses, instances and outcomes are recorded in the store.
//
// Thread: control thread only (the io_context given here); the API, the event followers and the
// executor reach it by posting to that io_context. Lives as long as that io_context runs.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/controller_config.hpp"
#include "controller/engine/action_executor.hpp"
#include "controller/rollout/rollout.hpp"
#include "controller/store/state_store.hpp"

namespace switchyard::controller::engine {

struct StartRequest {
  std::string app;
  std::string env;
  std::string version;
  bool force = false;       // start although `requires:` is not met
  std::string reason;       // recorded with a forced start
  std::string actor = "api";  // who asked (ApiRequest::actor), recorded with a forced start
  std::string baseline;     // the heaviest version of the route's split now (looked up by the caller)
  // Config-only rollout (no version): deploys the baseline's code with the current `config:`
  // overlays as "<baseline>+cfg.<hash8>"; refused when the configuration is unchanged.
  bool config_only = false;
  std::string promoted_from;  // promotion: the environment the version comes from (recorded)
  // depends_on: each dependency app's live version in `env` ("" = none), looked up by the caller.
  std::map<std::string, std::string> dependency_live;
  std::vector<std::string> refusals;  // gates the caller found unmet (refused unless force)
};

// An API-facing refusal: HTTP-like status (400, 404, 409, 500) and a message.
struct EngineError {
  int status = 500;
  std::string message;
};

using RolloutOutcome = std::variant<store::RolloutRow, EngineError>;

std::int64_t now_ms();

class RolloutEngine {
 public:
  RolloutEngine(boost::asio::io_context& control, const config::ControllerConfig& config, store::StateStore& store,
                ActionExecutor& executor);
  ~RolloutEngine();
  RolloutEngine(const RolloutEngine&) = delete;
  RolloutEngine& operator=(const RolloutEngine&) = delete;

  // After a restart: adopts recorded instances and resumes every unfinished rollout.
  void recover();

  RolloutOutcome start(const StartRequest& request);
  // A config-only rollout (what the secrets' rotation calls): start() with config_only set.
  // The baseline must be looked up like the API does (api::start_looked_up does both).
  RolloutOutcome start_config_rollout(StartRequest request) {
    request.config_only = true;
    request.version.clear();
    return start(request);
  }
  ConfigOverlays& overlays() { return executor_.overlays(); }
  std::map<std::string, std::string> secret_versions(const std::string& app) const {
    return executor_.secret_versions(app);
  }
  RolloutOutcome manual(std::int64_t rollout_id, rollout::ManualCommand command);
  // A proxy of `env` reported a guard trip on `route`: the app's active rollout there fails now.
  void guard_tripped(const std::string& env, const std::string& route, const std::string& reason);

  // The in-memory state of an active rollout (paused, held, ...); nullopt when not active here.
  std::optional<rollout::RolloutSnapshot> snapshot_of(std::int64_t rollout_id) const;
  store::StateStore& store() { return store_; }

  // Every event the controller records goes through here: appended to the store (which assigns
  // row.seq), then handed to each listener on the control thread (webhooks, metrics, drift...).
  // Listeners must not block: they queue their own work.
  using EventListener = std::function<void(const store::EventRow&)>;
  void add_event_listener(EventListener listener) { listeners_.push_back(std::move(listener)); }
  void record_event(store::EventRow row);
  const config::ControllerConfig& config() const { return config_; }

 private:
  struct Active {
    std::int64_t id = 0;
    rollout::Rollout rollout;
    std::unique_ptr<boost::asio::steady_timer> timer;
    rollout::RolloutSnapshot persisted;  // what the store holds now
  };

  rollout::RolloutSpec spec_for(const config::AppConfig& app, const config::EnvironmentConfig& env,
                                const std::string& version, const std::string& baseline) const;
  std::string refuse_requires(const StartRequest& request, const config::EnvironmentConfig& env);
  // rollout_engine_gates.cpp
  std::vector<std::string> refuse_dependencies(const StartRequest& request, const config::AppConfig& app) const;
  // The "<baseline>+cfg.<hash8>" label of a config-only start, or why there is none.
  std::variant<std::string, EngineError> config_only_label(const StartRequest& request);
  void drive(std::int64_t id, std::vector<rollout::Action> actions);
  void persist(Active& active);
  void feed(std::int64_t id, const rollout::Observation& observation);
  void on_outcome(std::int64_t id, ExecOutcome outcome);
  void record_instances(const ExecOutcome& outcome);
  void record_hook_runs(std::int64_t id, const std::vector<HookRun>& runs);  // rollout_hook_records.cpp
  void finish(Active& active, const rollout::Finish& finish);
  void arm_timer(Active& active, std::int64_t time_ms);
  // rollout_events.cpp
  void record_rollout_event(const store::RolloutRow& row, const std::string& kind, boost::json::object detail);
  void record_transition_events(const Active& active, const rollout::RolloutSnapshot& now);
  // A `guard_tripped` event (analytics: guard trips, failure detection time), before the rollout reacts.
  void record_guard_trip(const std::string& env, const std::string& route, const std::string& reason,
                         std::optional<std::int64_t> rollout_id);
  void adopted(AdoptOutcome outcome);
  Active* find(std::int64_t id);

  boost::asio::io_context& control_;
  const config::ControllerConfig& config_;
  store::StateStore& store_;
  ActionExecutor& executor_;
  std::map<std::int64_t, Active> active_;              // by rollout id
  std::vector<EventListener> listeners_;
  std::map<std::int64_t, store::InstanceRow> instance_rows_;  // live instances by pid
  // Lets posted callbacks notice that the engine is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace switchyard::controller::engine
