#include "proxy/admin/control_state.hpp"

#include <algorithm>
#include <utility>

#include "config/load_proxy_config.hpp"
#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::admin {
namespace {

// Weight given to the revert target: reads as "100%" in GET /v1/routes.
constexpr std::uint32_t kRevertWeight = 100;

MutationResult failure(int status, std::string message) {
  return MutationResult{AdminError{status, std::move(message)}, false};
}

// All weight to `target` (a version of `route`), every other version 0.
void route_all_to(config::RouteConfig& route, std::string_view target) {
  for (auto& entry : route.split) entry.weight = entry.version == target ? kRevertWeight : 0;
}

std::string revert_target(const config::RouteConfig& route) {
  if (route.guard && !route.guard->revert_to.empty()) return route.guard->revert_to;
  return route.split.empty() ? std::string{} : route.split.front().version;
}

}  // namespace

std::string_view to_string(GuardState state) {
  switch (state) {
    case GuardState::off: return "off";
    case GuardState::armed: return "armed";
    case GuardState::tripped: return "tripped";
  }
  return "off";
}

routing::StatsSlotAssigner stats_slot_assigner(stats::StatsRegistry* stats) {
  if (stats == nullptr) return {};
  return [stats](std::string_view route, std::string_view version) {
    return stats->slot_for(route, version);
  };
}

ControlState::ControlState(config::ProxyConfig config, routing::RouteTablePublisher& publisher,
                           stats::StatsRegistry* stats)
    : config_(std::move(config)), publisher_(publisher), stats_(stats) {}

const config::RouteConfig* ControlState::find_route(std::string_view name) const {
  for (const auto& route : config_.routes) {
    if (route.name == name) return &route;
  }
  return nullptr;
}

const config::UpstreamConfig* ControlState::find_upstream(std::string_view name) const {
  for (const auto& upstream : config_.upstreams) {
    if (upstream.name == name) return &upstream;
  }
  return nullptr;
}

GuardState ControlState::guard_state(std::string_view route) const {
  const auto* found = find_route(route);
  if (found == nullptr || !found->guard) return GuardState::off;
  return tripped_.contains(route) ? GuardState::tripped : GuardState::armed;
}

MutationResult ControlState::route_in(config::ProxyConfig& candidate, std::string_view route,
                                      config::RouteConfig*& out) const {
  out = nullptr;
  for (auto& entry : candidate.routes) {
    if (entry.name == route) out = &entry;
  }
  if (out == nullptr) return failure(404, "no such route: " + std::string(route));
  return {};
}

MutationResult ControlState::set_weights(std::string_view route,
                                         const std::map<std::string, std::uint32_t>& weights) {
  auto candidate = config_;
  config::RouteConfig* target = nullptr;
  if (auto found = route_in(candidate, route, target); !found.ok()) return found;
  for (const auto& [version, weight] : weights) {
    auto entry = std::find_if(target->split.begin(), target->split.end(),
                              [&](const auto& e) { return e.version == version; });
    if (entry == target->split.end()) {
      return failure(400, "weights." + version + ": no such version in route " +
                              std::string(route));
    }
    entry->weight = weight;
  }
  std::uint64_t sum = 0;
  for (const auto& entry : target->split) sum += entry.weight;
  if (sum == 0) return failure(400, "weights: the sum of the route's weights must be > 0");
  if (auto error = commit(std::move(candidate), "weights")) return {std::move(error), false};
  tripped_.erase(std::string(route));
  notify({"weights_changed", std::string(route), {}});
  return {};
}

MutationResult ControlState::replace_split(std::string_view route, std::vector<config::SplitEntry> split,
                                           std::string_view revert_to) {
  auto candidate = config_;
  config::RouteConfig* target = nullptr;
  if (auto found = route_in(candidate, route, target); !found.ok()) return found;
  if (split.empty()) return failure(400, "split: must have at least one entry");
  for (std::size_t i = 0; i < split.size(); ++i) {
    if (find_upstream(split[i].upstream) == nullptr) {
      return failure(400, "split[" + std::to_string(i) + "].upstream: no such upstream: " +
                              split[i].upstream);
    }
  }
  if (target->guard && !revert_to.empty()) {
    if (std::none_of(split.begin(), split.end(), [&](const auto& e) { return e.version == revert_to; })) {
      return failure(400, "revert_to: " + std::string(revert_to) + " is not a version of the new split");
    }
    target->guard->revert_to = std::string(revert_to);
  }
  if (target->guard && !target->guard->revert_to.empty()) {
    const auto& keep = target->guard->revert_to;
    if (std::none_of(split.begin(), split.end(), [&](const auto& e) { return e.version == keep; })) {
      return failure(400, "split: must keep version " + keep + " (the guard's revert_to)");
    }
  }
  target->split = std::move(split);
  if (auto error = commit(std::move(candidate), "split")) return {std::move(error), false};
  tripped_.erase(std::string(route));
  notify({"split_changed", std::string(route), {}});
  return {};
}

MutationResult ControlState::revert(std::string_view route) {
  auto candidate = config_;
  config::RouteConfig* target = nullptr;
  if (auto found = route_in(candidate, route, target); !found.ok()) return found;
  route_all_to(*target, revert_target(*target));
  if (auto error = commit(std::move(candidate), "revert")) return {std::move(error), false};
  notify({"reverted", std::string(route), {}});
  return {};
}

MutationResult ControlState::mark_tripped(std::string_view route) {
  auto candidate = config_;
  config::RouteConfig* target = nullptr;
  if (auto found = route_in(candidate, route, target); !found.ok()) return found;
  if (!target->guard) return failure(409, "route " + std::string(route) + " has no guard");
  route_all_to(*target, revert_target(*target));
  if (auto error = commit(std::move(candidate), "guard")) return {std::move(error), false};
  tripped_.insert(std::string(route));
  notify({"guard_tripped", std::string(route), {}});
  return {};
}

MutationResult ControlState::put_upstream(config::UpstreamConfig upstream) {
  auto candidate = config_;
  auto existing = std::find_if(candidate.upstreams.begin(), candidate.upstreams.end(),
                               [&](const auto& u) { return u.name == upstream.name; });
  const bool created = existing == candidate.upstreams.end();
  const std::string name = upstream.name;
  if (created) {
    candidate.upstreams.push_back(std::move(upstream));
  } else {
    *existing = std::move(upstream);
  }
  if (auto error = commit(std::move(candidate), "upstreams")) return {std::move(error), false};
  notify({"upstream_changed", {}, name});
  return MutationResult{std::nullopt, created};
}

MutationResult ControlState::delete_upstream(std::string_view name) {
  if (find_upstream(name) == nullptr) {
    return failure(404, "no such upstream: " + std::string(name));
  }
  for (const auto& route : config_.routes) {
    for (const auto& entry : route.split) {
      if (entry.upstream == name) {
        return failure(409, "upstream " + std::string(name) + " is used by route " +
                                route.name + " (version " + entry.version + ")");
      }
    }
  }
  auto candidate = config_;
  std::erase_if(candidate.upstreams, [&](const auto& u) { return u.name == name; });
  if (auto error = commit(std::move(candidate), "upstreams")) return {std::move(error), false};
  notify({"upstream_changed", {}, std::string(name)});
  return {};
}

std::optional<AdminError> ControlState::commit(config::ProxyConfig candidate,
                                               const std::string& what) {
  if (auto message = config::validate_proxy_config(candidate, what); !message.empty()) {
    return AdminError{400, std::move(message)};
  }
  const auto previous = publisher_.current();
  const std::uint64_t generation = previous ? previous->generation() + 1 : 1;
  publisher_.publish(routing::RouteTable::build(candidate, previous.get(), generation,
                                                stats_slot_assigner(stats_)));
  config_ = std::move(candidate);
  return std::nullopt;
}

void ControlState::notify(ChangeEvent event) {
  record_change(event);
  if (listener_) listener_(event);
}

}  // namespace switchyard::proxy::admin
