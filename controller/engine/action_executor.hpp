#pragma once
// ActionExecutor: performs a rollout's actions (controller/rollout/action.hpp) against the world:
// the app's instance driver and the environment's proxies (admin API only). Every call here is
// blocking and bounded (driver and ProxyClient timeouts, and the retry limit for proxies that do
// not answer: proxy_retry.hpp), so all of it runs on ONE worker thread
// owned by this object, in submission order; the control thread never waits for it. Results are
// handed to the caller's callback ON THE WORKER THREAD: the caller posts them to its own thread.
//
// Thread: submit()/adopt() from any thread; everything else (drivers, fleets, the instance map)
// belongs to the worker thread. The destructor stops the worker after the running job.
// Actions are idempotent, as the rollout requires after a restore: deploy ensures N instances,
// weights and splits are absolute, retiring a version without instances succeeds.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "config/controller_config.hpp"
#include "controller/drivers/process_driver.hpp"
#include "controller/engine/config_overlays.hpp"
#include "controller/engine/hook_runner.hpp"
#include "controller/engine/proxy_retry.hpp"
#include "controller/proxies/proxy_fleet.hpp"
#include "controller/rollout/action.hpp"
#include "controller/secrets/secret_store.hpp"

namespace switchyard::controller::engine {

// Which rollout an action belongs to.
struct ExecContext {
  std::string app;
  std::string env;
  std::string version;   // the new version V
  std::string baseline;  // B
  std::int64_t rollout_id = 0;  // for hooks (SWITCHYARD_ROLLOUT_ID)
  std::uint32_t weight = 0;     // the new version's weight when the action was issued, for hooks
};

// An instance with the app/env/version it serves (what the store records).
struct OwnedInstance {
  std::string app;
  std::string env;
  std::string version;
  drivers::Instance instance;
  std::string config_hash{};  // RenderedConfig::hash of what the instance was started with
};

struct ExecOutcome {
  ExecOutcome(rollout::Observation reply) : observation(std::move(reply)) {}  // NOLINT: implicit on purpose
  rollout::Observation observation;
  std::vector<OwnedInstance> deployed;  // started by this action (DeployInstances)
  std::vector<OwnedInstance> retired;   // stopped by this action (RetireInstances)
  std::string config_hash;              // RenderedConfig of `deployed`: hash and canonical JSON
  std::string config_json;              //   (instances.config_hash, instance_configs)
  std::vector<HookRun> hook_runs;       // run by this action (RunHooks): the engine stores them
};

struct AdoptOutcome {
  std::vector<OwnedInstance> alive;
  std::vector<OwnedInstance> lost;
};

class ActionExecutor {
 public:
  ActionExecutor(const config::ControllerConfig& config, std::string log_dir);
  ~ActionExecutor();
  ActionExecutor(const ActionExecutor&) = delete;
  ActionExecutor& operator=(const ActionExecutor&) = delete;

  // Queues the action; `done` runs on the worker thread once it has been performed.
  // WaitUntil and Finish are the engine's business and answer ActionFailed here.
  void submit(ExecContext context, rollout::Action action, std::function<void(ExecOutcome)> done);
  // After a restart: takes the recorded instances back under management (driver adopt).
  void adopt(std::vector<OwnedInstance> recorded, std::function<void(AdoptOutcome)> done);
  // The instances' `config:` overlays: thread-safe, replaced on SIGHUP (main.cpp).
  ConfigOverlays& overlays() { return overlays_; }
  // The store that resolves apps' `secrets:` at instance start (secret_resolution.cpp). Set it
  // before the first submit(); without it, deploying an app that lists secrets fails.
  void set_secret_store(secrets::SecretStore* store) { secrets_ = store; }
  // name -> version (as text) of each secret `app` lists: part of its configuration hash, so
  // that a rotation is a configuration change. Thread-safe; versions only, never values.
  std::map<std::string, std::string> secret_versions(const std::string& app) const;

 private:
  ExecOutcome perform(const ExecContext& context, const rollout::Action& action);
  ExecOutcome deploy(const ExecContext& context, std::uint64_t id, const rollout::DeployInstances& deploy);
  // deploy_config.cpp: env vars, {version} and {config_file} of a deployment of `version`; the
  // rendered configuration's hash goes to `outcome`. Returns an error text or "".
  std::string prepare_deploy(const ExecContext& context, drivers::DeployRequest& request, ExecOutcome& outcome);
  rollout::Observation register_upstream(const ExecContext& context, std::uint64_t id, const std::string& version);
  rollout::Observation set_weights(const ExecContext& context, std::uint64_t id,
                                   const std::map<std::string, std::uint32_t>& weights);
  rollout::Observation set_split(const ExecContext& context, std::uint64_t id,
                                 const std::map<std::string, std::uint32_t>& weights);
  rollout::Observation pin_preview(const ExecContext& context, std::uint64_t id, const std::string& version);
  // Rolling (action_executor_rolling.cpp).
  ExecOutcome replace(const ExecContext& context, std::uint64_t id, const rollout::ReplaceInstances& replace);
  std::vector<drivers::Instance> healthy_batch(const ExecContext& context, const rollout::ReplaceInstances& replace,
                                               const std::vector<std::string>& registered, ExecOutcome& outcome,
                                               std::string& error);
  void stop_instances(const ExecContext& context, const std::string& version,
                      const std::vector<drivers::Instance>& gone, ExecOutcome& outcome);
  std::string upstream_endpoints(const std::string& env, const std::string& upstream,
                                 std::vector<std::string>& endpoints);
  std::string rename_in_split(const ExecContext& context, const std::string& upstream, const std::string& to);
  ExecOutcome retire(const ExecContext& context, std::uint64_t id, const std::string& version);
  rollout::Observation analyze(const ExecContext& context, std::uint64_t id);
  ExecOutcome run_hooks(const ExecContext& context, const rollout::Action& action);
  AdoptOutcome adopt_now(const std::vector<OwnedInstance>& recorded);
  // Fills request.secrets with the app's `secrets:`; "" on success, else why not.
  std::string resolve_secrets(const ExecContext& context, drivers::DeployRequest& request);

  drivers::ProcessDriver& driver(const std::string& app);
  proxies::ProxyFleet& fleet(const std::string& env);
  const config::AppConfig& app(const std::string& name) const;
  std::string upstream_of(const ExecContext& context, const std::string& version) const;

  const config::ControllerConfig& config_;
  std::string log_dir_;
  ConfigOverlays overlays_{config_};
  // Worker-thread state.
  std::map<std::string, std::unique_ptr<drivers::ProcessDriver>> drivers_;  // by app
  std::map<std::string, std::unique_ptr<proxies::ProxyFleet>> fleets_;      // by env
  std::map<std::string, std::vector<drivers::Instance>> instances_;       // by app/env/version
  std::map<std::string, std::string> upstreams_;                          // app/env/version -> upstream
  secrets::SecretStore* secrets_ = nullptr;      // thread-safe; outlives this executor
  RetryPolicy retry_ = default_retry_policy();  // proxies that do not answer (proxy_retry.hpp)

  boost::asio::io_context worker_ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread worker_;
};

// "app/env/version": the key of the executor's maps.
std::string instance_key(const std::string& app, const std::string& env, const std::string& version);
// The environment variables handed to an app's instances in `env`: config.base, then the
// environment's `config:`, then the app's `config.<env>` (later keys win).
std::map<std::string, std::string> instance_env(const config::AppConfig& app, const config::EnvironmentConfig& env);

}  // namespace switchyard::controller::engine
