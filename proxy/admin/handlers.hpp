#pragma once
// The admin API's handlers, one per file (handler_*.cpp), and the one table that registers them
// (handler_table.cpp). Adding an endpoint = one handler file + one declaration here + one row in
// the table. Handlers run on the control thread and report failures as values, never exceptions.

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "proxy/admin/admin_types.hpp"
#include "proxy/admin/router.hpp"
#include "proxy/net/listener_figures.hpp"

namespace switchyard::proxy::admin {

class ControlState;
struct MutationResult;

// What handlers may reach. Later features (stats, events, reload) add members here.
// The statistics registry is reached through state.stats() (null = statistics off).
struct AdminContext {
  ControlState& state;
  // switchyard_connections_active for GET /metrics; empty = 0. Set by main (AdminServer::context()).
  std::function<std::uint64_t()> connections_active = {};
  // Per-listener gate figures for GET /metrics; empty = no listener series. Set by main.
  std::function<std::vector<net::ListenerFigures>()> listener_figures = {};
};

// The full endpoint table, in match order.
const std::vector<Endpoint>& handler_table();

// Shared by the route mutations: the refusal, or the route as it now is (200).
AdminResponse route_answer(AdminContext& context, std::string_view route,
                           const MutationResult& result);

AdminResponse handle_healthz(AdminContext& context, const AdminRequest& request);
AdminResponse handle_list_routes(AdminContext& context, const AdminRequest& request);
AdminResponse handle_get_route(AdminContext& context, const AdminRequest& request);
AdminResponse handle_put_weights(AdminContext& context, const AdminRequest& request);
AdminResponse handle_put_split(AdminContext& context, const AdminRequest& request);
AdminResponse handle_revert(AdminContext& context, const AdminRequest& request);
AdminResponse handle_list_upstreams(AdminContext& context, const AdminRequest& request);
AdminResponse handle_put_upstream(AdminContext& context, const AdminRequest& request);
AdminResponse handle_delete_upstream(AdminContext& context, const AdminRequest& request);
AdminResponse handle_metrics(AdminContext& context, const AdminRequest& request);
AdminResponse handle_route_stats(AdminContext& context, const AdminRequest& request);
AdminResponse handle_get_events(AdminContext& context, const AdminRequest& request);
AdminResponse handle_get_config(AdminContext& context, const AdminRequest& request);
AdminResponse handle_reload_config(AdminContext& context, const AdminRequest& request);

}  // namespace switchyard::proxy::admin
