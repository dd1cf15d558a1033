#include "controller/engine/action_executor.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "controller/engine/hook_runner.hpp"
#include "controller/engine/route_split.hpp"

namespace switchyard::controller::engine {

namespace asio = boost::asio;
using rollout::ActionFailed;
using rollout::ActionSucceeded;

std::string instance_key(const std::string& app, const std::string& env, const std::string& version) {
  return app + "/" + env + "/" + version;
}

std::map<std::string, std::string> instance_env(const config::AppConfig& app, const config::EnvironmentConfig& env) {
  std::map<std::string, std::string> vars;
  auto overlay = [&vars](const std::map<std::string, std::string>& layer) {
    for (const auto& [key, value] : layer) vars[key] = value;
  };
  if (auto base = app.config.find("base"); base != app.config.end()) overlay(base->second);
  overlay(env.config);
  if (auto own = app.config.find(env.name); own != app.config.end()) overlay(own->second);
  return vars;
}

ActionExecutor::ActionExecutor(const config::ControllerConfig& config, std::string log_dir)
    : config_(config), log_dir_(std::move(log_dir)), work_(worker_ioc_.get_executor()),
      worker_([this] { worker_ioc_.run(); }) {}

ActionExecutor::~ActionExecutor() {
  work_.reset();
  worker_ioc_.stop();
  if (worker_.joinable()) worker_.join();
}

void ActionExecutor::submit(ExecContext context, rollout::Action action, std::function<void(ExecOutcome)> done) {
  asio::post(worker_ioc_, [this, context = std::move(context), action = std::move(action), done = std::move(done)] {
    done(perform(context, action));
  });
}

void ActionExecutor::adopt(std::vector<OwnedInstance> recorded, std::function<void(AdoptOutcome)> done) {
  asio::post(worker_ioc_, [this, recorded = std::move(recorded), done = std::move(done)] {
    done(adopt_now(recorded));
  });
}

ExecOutcome ActionExecutor::perform(const ExecContext& context, const rollout::Action& action) {
  const auto id = action.id;
  spdlog::info("{}/{}: {}", context.app, context.env, rollout::describe(action));
  return std::visit(
      [&](const auto& body) -> ExecOutcome {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, rollout::DeployInstances>) {
          return deploy(context, id, body);
        } else if constexpr (std::is_same_v<T, rollout::RegisterUpstream>) {
          return {register_upstream(context, id, body.version)};
        } else if constexpr (std::is_same_v<T, rollout::SetWeights>) {
          return {set_weights(context, id, body.weights)};
        } else if constexpr (std::is_same_v<T, rollout::PinPreview>) {
          return {pin_preview(context, id, body.version)};
        } else if constexpr (std::is_same_v<T, rollout::ReplaceInstances>) {
          return replace(context, id, body);
        } else if constexpr (std::is_same_v<T, rollout::SetSplit>) {
          return {set_split(context, id, body.weights)};
        } else if constexpr (std::is_same_v<T, rollout::RetireInstances>) {
          return retire(context, id, body.version);
        } else if constexpr (std::is_same_v<T, rollout::RunHooks>) {
          return run_hooks(context, action);
        } else if constexpr (std::is_same_v<T, rollout::Analyze>) {
          return {analyze(context, id)};
        } else {
          return {ActionFailed{id, std::string(rollout::action_name(body)) + " is not supported by this controller"}};
        }
      },
      action.body);
}

ExecOutcome ActionExecutor::deploy(const ExecContext& context, std::uint64_t id,
                                   const rollout::DeployInstances& deploy) {
  auto& instances = instances_[instance_key(context.app, context.env, deploy.version)];
  auto& drv = driver(context.app);
  ExecOutcome outcome{ActionSucceeded{id}};
  // Idempotent: only the missing instances are started (a restored rollout re-issues its deploy).
  if (instances.size() < deploy.count) {
    drivers::DeployRequest request;
    request.app = context.app;
    request.env = context.env;
    request.version = deploy.version;
    request.count = deploy.count - static_cast<std::uint32_t>(instances.size());
    request.first_index = static_cast<std::uint32_t>(instances.size());
    if (auto error = prepare_deploy(context, request, outcome); !error.empty()) {
      return {ActionFailed{id, "deploy: " + error}};
    }
    if (auto error = resolve_secrets(context, request); !error.empty()) return {ActionFailed{id, "deploy: " + error}};
    auto started = drv.deploy(request);
    if (!started.ok) return {ActionFailed{id, "deploy: " + started.error}};
    for (const auto& instance : started.instances) {
      instances.push_back(instance);
      outcome.deployed.push_back({context.app, context.env, deploy.version, instance, outcome.config_hash});
    }
  }
  const auto& cfg = app(context.app).driver;
  auto health = drv.wait_healthy(instances, std::chrono::milliseconds(cfg.health_timeout_ms));
  if (!health.all_healthy()) spdlog::warn("{}/{}: {}", context.app, context.env, health.error());
  outcome.observation = rollout::InstancesHealthy{id, deploy.version, static_cast<std::uint32_t>(health.healthy_count())};
  return outcome;
}

rollout::Observation ActionExecutor::register_upstream(const ExecContext& context, std::uint64_t id,
                                                       const std::string& version) {
  const auto key = instance_key(context.app, context.env, version);
  std::vector<std::string> endpoints;
  for (const auto& instance : instances_[key]) endpoints.push_back(instance.endpoint);
  const auto name = context.app + "-" + version;
  upstreams_[key] = name;
  const auto& route = app(context.app).route;
  // Each proxy's own split gets V at weight 0 (its other versions and weights stay as they are).
  auto failed = on_every_proxy(
      fleet(context.env),
      [&](proxies::ProxyClient& client) {
        auto put = client.put_upstream(name, endpoints);
        if (!put.ok) return put;
        auto current = client.get_route(route);
        if (!current.ok) return current;
        auto split = split_of(current.json);
        for (const auto& entry : split) {
          upstreams_.emplace(instance_key(context.app, context.env, entry.version), entry.upstream);
        }
        if (split_has(split, version)) return current;
        split.push_back({version, name, 0});
        return client.put_split(route, split);
      },
      retry_);
  if (!failed.empty()) return ActionFailed{id, "register upstream " + name + ": " + failed};
  return ActionSucceeded{id};
}

rollout::Observation ActionExecutor::set_weights(const ExecContext& context, std::uint64_t id,
                                                 const std::map<std::string, std::uint32_t>& weights) {
  const auto& route = app(context.app).route;
  auto failed = on_every_proxy(
      fleet(context.env), [&](proxies::ProxyClient& client) { return client.put_weights(route, weights); }, retry_);
  if (!failed.empty()) return ActionFailed{id, "set weights: " + failed};
  return ActionSucceeded{id};
}

rollout::Observation ActionExecutor::set_split(const ExecContext& context, std::uint64_t id,
                                               const std::map<std::string, std::uint32_t>& weights) {
  const auto& route = app(context.app).route;
  auto failed = on_every_proxy(
      fleet(context.env),
      [&](proxies::ProxyClient& client) {
        auto current = client.get_route(route);
        if (!current.ok) return current;
        const auto existing = split_of(current.json);
        std::vector<config::SplitEntry> split;
        for (const auto& [version, weight] : weights) {
          std::string upstream = upstream_of(context, version);
          for (const auto& entry : existing) {
            if (entry.version == version) upstream = entry.upstream;
          }
          split.push_back({version, upstream, weight});
        }
        return client.put_split(route, split);
      },
      retry_);
  if (!failed.empty()) return ActionFailed{id, "set split: " + failed};
  return ActionSucceeded{id};
}

rollout::Observation ActionExecutor::pin_preview(const ExecContext& context, std::uint64_t id,
                                                 const std::string& version) {
  // RegisterUpstream put V in the split at weight 0; the proxy pins a version named in the
  // route's override_header even at weight 0, so V is reachable by that header alone. Without
  // an override_header nobody could reach the preview: refuse rather than preview nothing.
  const auto& route = app(context.app).route;
  std::string refusal;
  auto failed = on_every_proxy(
      fleet(context.env),
      [&](proxies::ProxyClient& client) {
        auto current = client.get_route(route);
        if (!current.ok) return current;
        const auto* object = current.json.if_object();
        const auto* header = object ? object->if_contains("override_header") : nullptr;
        if (!header || !header->is_string() || header->get_string().empty()) {
          refusal = "route " + route + " on proxy " + client.name() +
                    " has no override_header: the preview of " + version + " would be unreachable";
        } else if (!split_has(split_of(current.json), version)) {
          refusal = "route " + route + " on proxy " + client.name() + " has no " + version + " in its split";
        } else {
          spdlog::info("{}/{}: preview of {} reachable with header {}: {}", context.app, context.env, version,
                       std::string(header->get_string()), version);
        }
        return current;
      },
      retry_);
  if (!failed.empty()) return ActionFailed{id, "pin preview: " + failed};
  if (!refusal.empty()) return ActionFailed{id, "pin preview: " + refusal};
  return ActionSucceeded{id};
}

ExecOutcome ActionExecutor::retire(const ExecContext& context, std::uint64_t id, const std::string& version) {
  const auto key = instance_key(context.app, context.env, version);
  ExecOutcome outcome{ActionSucceeded{id}};
  auto found = instances_.find(key);
  if (found != instances_.end()) {
    driver(context.app).retire(found->second, std::chrono::milliseconds(app(context.app).driver.stop_grace_ms));
    for (const auto& instance : found->second) outcome.retired.push_back({context.app, context.env, version, instance, ""});
    instances_.erase(found);
  }
  // The upstream goes once no split uses it; a proxy refusing (409: still routed, 404: gone) is
  // not a failure of the retirement itself.
  const auto name = upstream_of(context, version);
  auto failed = on_every_proxy(
      fleet(context.env),
      [&](proxies::ProxyClient& client) {
        auto removed = client.delete_upstream(name);
        if (!removed.ok && !worth_retrying(removed)) {
          spdlog::info("{}/{}: upstream {} kept on {}: {}", context.app, context.env, name, client.name(),
                       removed.error);
          removed.ok = true;  // answered: refused (still routed) or already gone
        }
        return removed;
      },
      retry_);
  // The instances are stopped already: a proxy that never answered keeps a dead upstream, which
  // is reported but does not undo the retirement.
  if (!failed.empty()) outcome.observation = ActionFailed{id, "retire " + version + ": upstream " + name + " not removed: " + failed};
  return outcome;
}

rollout::Observation ActionExecutor::analyze(const ExecContext& context, std::uint64_t id) {
  const auto& cfg = app(context.app);
  auto stats = fleet(context.env).get_stats(cfg.route);
  std::vector<rollout::ProxyStats> bodies;
  for (const auto& each : stats.outcomes) bodies.push_back({each.proxy, each.result.ok ? each.result.body : ""});
  return rollout::AnalysisResult{id, rollout::analyze(cfg.strategy.analysis, context.baseline, context.version, bodies)};
}

ExecOutcome ActionExecutor::run_hooks(const ExecContext& context, const rollout::Action& action) {
  const auto& body = std::get<rollout::RunHooks>(action.body);
  HookContext hook_context{context.app, context.env, context.version, context.baseline,
                           std::string(rollout::to_string(body.phase)), body.step_index, context.weight, {},
                           context.rollout_id};
  auto found = instances_.find(instance_key(context.app, context.env, context.version));
  if (found != instances_.end()) {
    for (const auto& instance : found->second) hook_context.endpoints.push_back(instance.endpoint);
  }
  ExecOutcome outcome{ActionSucceeded{action.id}};
  outcome.hook_runs = engine::run_hooks(hooks_of(app(context.app).hooks, body.phase), hook_context);
  const auto error = first_failure(outcome.hook_runs);
  // on_rollback hooks are recorded, never judged: the rollback's outcome is already decided.
  if (!error.empty() && body.phase != rollout::HookPhase::on_rollback) outcome.observation = ActionFailed{action.id, error};
  return outcome;
}

AdoptOutcome ActionExecutor::adopt_now(const std::vector<OwnedInstance>& recorded) {
  AdoptOutcome outcome;
  std::map<std::string, std::vector<const OwnedInstance*>> by_app;
  for (const auto& each : recorded) by_app[each.app].push_back(&each);
  for (const auto& [app_name, owned] : by_app) {
    if (!config_.find_app(app_name)) continue;
    std::vector<drivers::Instance> plain;
    for (const auto* each : owned) plain.push_back(each->instance);
    auto adopted = driver(app_name).adopt(plain);
    // The driver answers with instances; find each one's owner again by pid.
    auto owner_of = [&owned](const drivers::Instance& instance) -> const OwnedInstance* {
      for (const auto* each : owned) {
        if (each->instance.pid == instance.pid && each->instance.port == instance.port) return each;
      }
      return nullptr;
    };
    for (const auto& instance : adopted.alive) {
      if (const auto* owner = owner_of(instance)) {
        instances_[instance_key(owner->app, owner->env, owner->version)].push_back(instance);
        upstreams_[instance_key(owner->app, owner->env, owner->version)] = owner->app + "-" + owner->version;
        outcome.alive.push_back({owner->app, owner->env, owner->version, instance, owner->config_hash});
      }
    }
    for (const auto& instance : adopted.lost) {
      if (const auto* owner = owner_of(instance)) outcome.lost.push_back({owner->app, owner->env, owner->version, instance, owner->config_hash});
    }
  }
  return outcome;
}

drivers::ProcessDriver& ActionExecutor::driver(const std::string& app_name) {
  auto& slot = drivers_[app_name];
  if (!slot) {
    drivers::ProcessDriverOptions options;
    options.driver = app(app_name).driver;
    options.log_dir = log_dir_;
    slot = std::make_unique<drivers::ProcessDriver>(options);
  }
  return *slot;
}

proxies::ProxyFleet& ActionExecutor::fleet(const std::string& env) {
  auto& slot = fleets_[env];
  if (!slot) {
    const auto* found = config_.find_environment(env);
    slot = std::make_unique<proxies::ProxyFleet>(found ? found->proxies : std::vector<config::ProxyTarget>{});
  }
  return *slot;
}

const config::AppConfig& ActionExecutor::app(const std::string& name) const {
  // The engine only submits actions of configured apps.
  return *config_.find_app(name);
}

std::string ActionExecutor::upstream_of(const ExecContext& context, const std::string& version) const {
  auto found = upstreams_.find(instance_key(context.app, context.env, version));
  return found != upstreams_.end() ? found->second : context.app + "-" + version;
}

}  // namespace switchyard::controller::engine
