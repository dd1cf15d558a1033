#pragma once
// ControlState: the proxy's routing state as the control thread sees it. It keeps the
// ProxyConfig in force (runtime changes included) as the source of truth and turns every admin
// mutation into a new RouteTable snapshot published through RouteTablePublisher.
//
// Control-thread only (not thread-safe). Workers never see this object: they read snapshots.
// Every mutation is all-or-nothing: it copies the config, applies the change, validates the copy
// with config::validate_proxy_config, and only then builds, publishes and stores it. A refused
// mutation changes nothing and publishes nothing.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/proxy_config.hpp"
#include "proxy/admin/admin_types.hpp"
#include "proxy/routing/route_table_publisher.hpp"

namespace switchyard::proxy::admin {

enum class GuardState { off, armed, tripped };
std::string_view to_string(GuardState state);

// The outcome of one mutation. `error` empty = applied and published.
struct MutationResult {
  std::optional<AdminError> error;
  bool created = false;  // put_upstream: the upstream did not exist before
  bool ok() const { return !error.has_value(); }
};

// What changed, told to the change listener after every successful publish.
struct ChangeEvent {
  std::string kind;      // "weights_changed", "split_changed", "reverted", "guard_tripped",
                         // "upstream_changed" (created, replaced or deleted)
  std::string route;     // empty for upstream events
  std::string upstream;  // empty for route events
};

class ControlState {
 public:
  using ChangeListener = std::function<void(const ChangeEvent&)>;

  // Does not publish: the caller built the initial table from `config` (generation 1) and gave
  // it to `publisher`, which must outlive this object.
  ControlState(config::ProxyConfig config, routing::RouteTablePublisher& publisher);

  // New weights for the named versions of `route`; other versions keep theirs.
  // Re-arms a tripped guard. 404 unknown route; 400 unknown version or sum 0.
  MutationResult set_weights(std::string_view route,
                             const std::map<std::string, std::uint32_t>& weights);
  // Replaces the split (versions may be added or removed). Re-arms a tripped guard: the
  // operator has taken the route back. 400 unknown upstream, or the guard's revert_to dropped.
  MutationResult replace_split(std::string_view route, std::vector<config::SplitEntry> split);
  // All weight to guard.revert_to (or the first version). Guard state is left as it is.
  MutationResult revert(std::string_view route);
  // The guard's verdict: trips the route's guard and publishes 100% revert_to.
  MutationResult mark_tripped(std::string_view route);
  // Creates or replaces an upstream (result.created tells which).
  MutationResult put_upstream(config::UpstreamConfig upstream);
  // 404 unknown; 409 while a route's split references it.
  MutationResult delete_upstream(std::string_view name);

  const config::ProxyConfig& config() const { return config_; }
  const config::RouteConfig* find_route(std::string_view name) const;
  const config::UpstreamConfig* find_upstream(std::string_view name) const;
  GuardState guard_state(std::string_view route) const;
  // The snapshot in force (for live figures such as endpoint health).
  std::shared_ptr<const routing::RouteTable> table() const { return publisher_.current(); }

  // Called after every successful publish; replaces any previous listener.
  void set_change_listener(ChangeListener listener) { listener_ = std::move(listener); }

 private:
  // Validates `candidate`, then builds, publishes and stores it. Nothing changes on error.
  std::optional<AdminError> commit(config::ProxyConfig candidate, const std::string& what);
  void notify(ChangeEvent event) const;
  // The copy of `route` in `candidate`, or a 404 error.
  MutationResult route_in(config::ProxyConfig& candidate, std::string_view route,
                          config::RouteConfig*& out) const;

  config::ProxyConfig config_;
  routing::RouteTablePublisher& publisher_;
  std::set<std::string, std::less<>> tripped_;  // routes whose guard has tripped
  ChangeListener listener_;
};

}  // namespace switchyard::proxy::admin
