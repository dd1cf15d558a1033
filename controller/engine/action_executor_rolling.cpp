// ActionExecutor, rolling replacement (ReplaceInstances): new instances join the app's current
// upstream only once healthy, old ones leave it in the same PUT and are stopped afterwards.
#include <algorithm>
#include <set>
#include <thread>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "controller/engine/action_executor.hpp"
#include "controller/engine/route_split.hpp"

namespace switchyard::controller::engine {

namespace {

using rollout::ActionFailed;

// Removed endpoints get this long before their instances are stopped: the proxy drains them
// by itself; the pause covers a request picked just before the PUT landed.
constexpr std::chrono::milliseconds kDrainPause{300};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The route's upstream serving `from` (or `to`, when a re-issued action already renamed it).
std::string serving_upstream(const std::vector<config::SplitEntry>& split, const std::string& from,
                                    const std::string& to) {
  for (const auto& wanted : {from, to}) {
    for (const auto& entry : split) {
      if (entry.version == wanted) return entry.upstream;
    }
  }
  return "";
}

// The upstream's next endpoint list: the current one plus the healthy new endpoints, minus as
// many old ones (those of `from`'s known instances first), so capacity never drops.
struct EndpointPlan {
  std::vector<std::string> next;
  std::vector<std::string> removed;
};

EndpointPlan plan_endpoints(const std::vector<std::string>& current, const std::set<std::string>& fresh,
                            const std::vector<std::string>& old_known, const std::vector<std::string>& added) {
  EndpointPlan plan;
  for (const auto& endpoint : old_known) {
    if (contains(current, endpoint)) plan.removed.push_back(endpoint);
  }
  for (const auto& endpoint : current) {
    if (!fresh.count(endpoint) && !contains(plan.removed, endpoint)) plan.removed.push_back(endpoint);
  }
  plan.removed.resize(std::min(plan.removed.size(), added.size()));
  for (const auto& endpoint : current) {
    if (!contains(plan.removed, endpoint)) plan.next.push_back(endpoint);
  }
  for (const auto& endpoint : added) {
    if (!contains(plan.next, endpoint)) plan.next.push_back(endpoint);
  }
  return plan;
}

std::vector<std::string> endpoints_of(const std::vector<drivers::Instance>& instances) {
  std::vector<std::string> out;
  for (const auto& instance : instances) out.push_back(instance.endpoint);
  return out;
}

}  // namespace

std::string ActionExecutor::upstream_endpoints(const std::string& env, const std::string& upstream,
                                               std::vector<std::string>& endpoints) {
  // The first proxy is the reference: the controller keeps every proxy's upstream identical.
  return on_every_proxy(
      fleet(env),
      [&](proxies::ProxyClient& client) {
        auto listed = client.request("GET", "/v1/upstreams");
        if (!listed.ok || !endpoints.empty()) return listed;
        const auto* object = listed.json.if_object();
        const auto* list = object ? object->if_contains("upstreams") : nullptr;
        if (!list || !list->is_array()) return listed;
        for (const auto& each : list->get_array()) {
          const auto* fields = each.if_object();
          if (!fields || !fields->contains("name") || fields->at("name") != boost::json::value(upstream)) continue;
          for (const auto& endpoint : fields->at("endpoints").as_array()) {
            if (const auto* address = endpoint.at("address").if_string()) endpoints.emplace_back(*address);
          }
        }
        return listed;
      },
      retry_);
}

std::string ActionExecutor::rename_in_split(const ExecContext& context, const std::string& upstream,
                                            const std::string& to) {
  // Every old instance is gone from the upstream: the split entry serving it names `to` now
  // (same upstream, same weight: traffic does not move), so the split holds the new version alone.
  const auto& route = app(context.app).route;
  return on_every_proxy(
      fleet(context.env),
      [&](proxies::ProxyClient& client) {
        auto current = client.get_route(route);
        if (!current.ok) return current;
        std::vector<config::SplitEntry> split;
        for (auto entry : split_of(current.json)) {
          if (entry.version == to && entry.upstream != upstream) continue;  // a stale entry of `to`
          if (entry.upstream == upstream) entry.version = to;
          split.push_back(entry);
        }
        return client.put_split(route, split);
      },
      retry_);
}

void ActionExecutor::stop_instances(const ExecContext& context, const std::string& version,
                                    const std::vector<drivers::Instance>& gone, ExecOutcome& outcome) {
  if (gone.empty()) return;
  driver(context.app).retire(gone, std::chrono::milliseconds(app(context.app).driver.stop_grace_ms));
  auto& list = instances_[instance_key(context.app, context.env, version)];
  for (const auto& instance : gone) {
    list.erase(std::remove(list.begin(), list.end(), instance), list.end());
    outcome.retired.push_back({context.app, context.env, version, instance, ""});
  }
}

std::vector<drivers::Instance> ActionExecutor::healthy_batch(const ExecContext& context,
                                                             const rollout::ReplaceInstances& replace,
                                                             const std::vector<std::string>& registered,
                                                             ExecOutcome& outcome, std::string& error) {
  auto& fresh = instances_[instance_key(context.app, context.env, replace.to)];
  auto& drv = driver(context.app);
  // Healthy spares of `to` not yet registered (a re-issued action) first, then new ones.
  std::vector<drivers::Instance> batch;
  for (const auto& instance : fresh) {
    if (batch.size() < replace.count && !contains(registered, instance.endpoint)) batch.push_back(instance);
  }
  if (batch.size() < replace.count) {
    drivers::DeployRequest request;
    request.app = context.app;
    request.env = context.env;
    request.version = replace.to;
    request.count = replace.count - static_cast<std::uint32_t>(batch.size());
    request.first_index = static_cast<std::uint32_t>(fresh.size());
    if (error = prepare_deploy(context, request, outcome); !error.empty()) return {};
    if (error = resolve_secrets(context, request); !error.empty()) {
      error = "deploy: " + error;
      return {};
    }
    auto started = drv.deploy(request);
    if (!started.ok) {
      error = "deploy: " + started.error;
      return {};
    }
    for (const auto& instance : started.instances) {
      fresh.push_back(instance);
      batch.push_back(instance);
      outcome.deployed.push_back({context.app, context.env, replace.to, instance, outcome.config_hash});
    }
  }
  const auto health = drv.wait_healthy(batch, std::chrono::milliseconds(app(context.app).driver.health_timeout_ms));
  std::vector<drivers::Instance> healthy;
  std::vector<drivers::Instance> broken;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    (i < health.instances.size() && health.instances[i].healthy ? healthy : broken).push_back(batch[i]);
  }
  if (!broken.empty()) spdlog::warn("{}/{}: {}", context.app, context.env, health.error());
  stop_instances(context, replace.to, broken, outcome);  // never registered: cleaned up here
  return healthy;
}

ExecOutcome ActionExecutor::replace(const ExecContext& context, std::uint64_t id,
                                    const rollout::ReplaceInstances& replace) {
  auto& environment = fleet(context.env);
  auto current = environment.size() ? environment.proxy(0).get_route(app(context.app).route) : proxies::AdminResult{};
  const auto upstream = serving_upstream(split_of(current.json), replace.from, replace.to);
  if (upstream.empty()) {
    return {ActionFailed{id, "replace instances: no upstream serves " + replace.from + " on route " +
                                 app(context.app).route + (current.ok ? "" : ": " + current.error)}};
  }
  std::vector<std::string> endpoints;
  if (auto error = upstream_endpoints(context.env, upstream, endpoints); !error.empty()) {
    return {ActionFailed{id, "replace instances: " + error}};
  }
  ExecOutcome outcome{rollout::InstancesHealthy{id, replace.to, 0}};
  std::string error;
  const auto healthy = healthy_batch(context, replace, endpoints, outcome, error);
  if (!error.empty()) {
    outcome.observation = ActionFailed{id, "replace instances: " + error};
    return outcome;
  }
  std::set<std::string> fresh;
  for (const auto& instance : instances_[instance_key(context.app, context.env, replace.to)]) fresh.insert(instance.endpoint);
  auto& old_known = instances_[instance_key(context.app, context.env, replace.from)];
  const auto plan = plan_endpoints(endpoints, fresh, endpoints_of(old_known), endpoints_of(healthy));
  if (!healthy.empty()) {
    auto put = [&](const std::vector<std::string>& list, RetryPolicy policy) {
      return on_every_proxy(
          // put_upstream carries over the rest of the upstream (health_check, limits, outlier_detection).
          environment, [&](proxies::ProxyClient& client) { return client.put_upstream(upstream, list); },
          policy);
    };
    if (auto failed = put(plan.next, retry_); !failed.empty()) {
      // Best effort back to the old list, then drop the batch: nothing half-registered stays.
      put(endpoints, RetryPolicy{std::chrono::milliseconds(0), retry_.interval});
      stop_instances(context, replace.to, healthy, outcome);
      outcome.observation = ActionFailed{id, "replace instances: upstream " + upstream + ": " + failed};
      return outcome;
    }
  }
  spdlog::info("{}/{}: upstream {} now {} endpoints ({} of {} added, {} removed)", context.app, context.env, upstream,
               plan.next.size(), replace.to, healthy.size(), plan.removed.size());
  std::vector<drivers::Instance> leaving;
  for (const auto& instance : old_known) {
    if (contains(plan.removed, instance.endpoint)) leaving.push_back(instance);
  }
  if (!leaving.empty()) std::this_thread::sleep_for(kDrainPause);
  stop_instances(context, replace.from, leaving, outcome);
  const bool only_new = std::all_of(plan.next.begin(), plan.next.end(),
                                    [&](const std::string& endpoint) { return fresh.count(endpoint) != 0; });
  if (only_new && !plan.next.empty()) {
    if (auto failed = rename_in_split(context, upstream, replace.to); !failed.empty()) {
      outcome.observation = ActionFailed{id, "replace instances: split: " + failed};
      return outcome;
    }
    upstreams_[instance_key(context.app, context.env, replace.to)] = upstream;
  }
  outcome.observation = rollout::InstancesHealthy{id, replace.to, static_cast<std::uint32_t>(healthy.size())};
  return outcome;
}

}  // namespace switchyard::controller::engine
