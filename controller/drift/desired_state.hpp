#pragma once
// DesiredState: what the controller wants one proxy to hold, for the parts it manages — each
// managed route's split (version -> upstream, weight) and each managed upstream's endpoints —
// and the readable diff against what the proxy reports in GET /v1/config (docs/drift.md).
// Plain values and pure functions: any thread.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "config/proxy_config.hpp"
#include "controller/proxies/change_recorder.hpp"

namespace switchyard::controller::drift {

struct DesiredState {
  std::map<std::string, std::vector<config::SplitEntry>> routes;  // managed route -> split
  std::map<std::string, std::vector<std::string>> upstreams;      // managed upstream -> endpoints
  friend bool operator==(const DesiredState&, const DesiredState&) = default;
};

// The parts of a proxy's canonical config (the "config" of GET /v1/config) that `routes`
// names, with every upstream their splits use. Routes the proxy lacks are left out.
DesiredState managed_from_config(const boost::json::value& config, const std::set<std::string>& routes);
// Every route and upstream of the config (the actual side of a comparison).
DesiredState all_from_config(const boost::json::value& config);

// A controller change applied to the desired state (what the proxy now holds if it obeyed).
void apply_change(DesiredState& desired, const proxies::ProxyChange& change);
// Upstreams that desired splits use but `desired` does not know yet (taken from `actual`).
void adopt_missing_upstreams(DesiredState& desired, const DesiredState& actual);

// One line per difference, e.g. "route shop: weight v2 desired 10, actual 0",
// "upstream shop-v2: endpoint 127.0.0.1:19001 missing, 127.0.0.1:9 unexpected",
// "route shop: version v3 unexpected". Empty: in sync.
std::vector<std::string> diff(const DesiredState& desired, const DesiredState& actual);
// Routes / upstreams with at least one difference (what a remediation puts back).
std::set<std::string> drifted_routes(const DesiredState& desired, const DesiredState& actual);
std::set<std::string> drifted_upstreams(const DesiredState& desired, const DesiredState& actual);

boost::json::value to_json(const DesiredState& state);

}  // namespace switchyard::controller::drift
