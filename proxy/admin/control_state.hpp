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
#include "proxy/admin/event_log.hpp"
#include "proxy/routing/route_table.hpp"
#include "proxy/routing/route_table_publisher.hpp"
#include "proxy/stats/stats_registry.hpp"

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

// The outcome of applying a freshly loaded configuration file (see config_reload.hpp).
struct ReloadResult {
  std::optional<AdminError> error;            // the candidate failed validation: nothing changed
  std::vector<std::string> restart_required;  // keys kept at their running values
  std::string hash;                           // config_hash() of the configuration now in force
};

// The slot assigner that RouteTable::build needs to number versions in `stats`; an empty one
// (versions get routing::kNoStatsSlot) when `stats` is null. Control thread.
routing::StatsSlotAssigner stats_slot_assigner(stats::StatsRegistry* stats);

class ControlState {
 public:
  using ChangeListener = std::function<void(const ChangeEvent&)>;

  // Does not publish: the caller built the initial table from `config` (generation 1) and gave
  // it to `publisher`, which must outlive this object.
  // `stats` (may be null: tests without statistics) numbers each (route, version) in the tables
  // this object builds; it must outlive this object. Build the initial table with
  // stats_slot_assigner(stats) too, so that its versions are counted from the first request.
  ControlState(config::ProxyConfig config, routing::RouteTablePublisher& publisher,
               stats::StatsRegistry* stats = nullptr);

  // New weights for the named versions of `route`; other versions keep theirs.
  // Re-arms a tripped guard. 404 unknown route; 400 unknown version or sum 0.
  MutationResult set_weights(std::string_view route,
                             const std::map<std::string, std::uint32_t>& weights);
  // Replaces the split (versions may be added or removed). Re-arms a tripped guard: the
  // operator has taken the route back. 400 unknown upstream, or the guard's revert_to dropped.
  // `revert_to` (optional, ignored without a guard) becomes the guard's baseline; it must be in
  // `split`. Without it, the split must keep the guard's current revert_to version.
  MutationResult replace_split(std::string_view route, std::vector<config::SplitEntry> split,
                               std::string_view revert_to = {});
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
  // The statistics the workers record into; null when none were given.
  stats::StatsRegistry* stats() const { return stats_; }
  // The snapshot in force (for live figures such as endpoint health).
  std::shared_ptr<const routing::RouteTable> table() const { return publisher_.current(); }

  // Called after every successful publish; replaces any previous listener.
  void set_change_listener(ChangeListener listener) { listener_ = std::move(listener); }

  // Every successful change is also recorded here and logged (control_state_events.cpp).
  EventLog& events() { return events_; }
  const EventLog& events() const { return events_; }
  // Who makes the changes that follow, for the log line and the event's "by" field, e.g.
  // "admin 127.0.0.1:51234"; empty = the proxy itself (guard, health checks). Set per request.
  void set_origin(std::string origin) { origin_ = std::move(origin); }
  // Records a change the proxy observed rather than made (endpoint_down, endpoint_up, ...).
  void record_event(std::string_view kind, std::string route, boost::json::object detail = {});

  // Reloads (config_reload.cpp). The file that reloads re-read; empty = reloads refused.
  void set_config_path(std::string path) { config_path_ = std::move(path); }
  const std::string& config_path() const { return config_path_; }
  // Applies a loaded file: routes and upstreams replace the running ones in one publish (cohorts
  // stay monotone, every guard re-armed); listeners, admin, workers and timeouts keep their
  // running values and are named in restart_required when the file changed them.
  ReloadResult apply_reload(config::ProxyConfig loaded);
  // A file that could not be loaded: counted, logged and recorded; nothing changes.
  void reject_reload(const std::string& message);
  // Files the configuration only names (TLS certificates), re-read at each reload: returns the
  // action that puts them in force, or sets `error` ("<key path>: <what>") to refuse the reload.
  using FileReloader = std::function<std::function<void()>(std::string& error)>;
  void set_file_reloader(FileReloader reloader) { file_reloader_ = std::move(reloader); }
  const FileReloader& file_reloader() const { return file_reloader_; }
  // For switchyard_config_reloads_total{result="applied"|"rejected"}.
  std::uint64_t reloads_applied() const { return reloads_applied_; }
  std::uint64_t reloads_rejected() const { return reloads_rejected_; }

 private:
  // Validates `candidate`, then builds, publishes and stores it. Nothing changes on error.
  std::optional<AdminError> commit(config::ProxyConfig candidate, const std::string& what);
  void notify(ChangeEvent event);
  // Logs `event` and records it in events_ with its details (control_state_events.cpp).
  void record_change(const ChangeEvent& event);
  // The copy of `route` in `candidate`, or a 404 error.
  MutationResult route_in(config::ProxyConfig& candidate, std::string_view route,
                          config::RouteConfig*& out) const;

  config::ProxyConfig config_;
  routing::RouteTablePublisher& publisher_;
  stats::StatsRegistry* stats_ = nullptr;
  std::set<std::string, std::less<>> tripped_;  // routes whose guard has tripped
  ChangeListener listener_;
  EventLog events_;
  std::string origin_;
  std::string config_path_;
  FileReloader file_reloader_;
  std::uint64_t reloads_applied_ = 0;
  std::uint64_t reloads_rejected_ = 0;
};

}  // namespace switchyard::proxy::admin
