// GET /metrics: Prometheus text format 0.0.4 (SPEC §5). Open without the token, like /healthz:
// only /v1 paths need it (AdminServer).
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"
#include "proxy/admin/listener_metrics.hpp"
#include "proxy/admin/upstream_metrics.hpp"
#include "proxy/stats/prometheus_text.hpp"

namespace switchyard::proxy::admin {
namespace {

// Endpoint health from the snapshot in force (the health checker updates it), matched by the
// upstream's name and the endpoint's position, which RouteTable keeps from the config.
bool endpoint_healthy(const routing::RouteTable* table, std::string_view upstream, std::size_t index) {
  if (table == nullptr) return true;
  for (const auto& live : table->upstreams()) {
    if (live.name == upstream) return index >= live.endpoints.size() || live.endpoints[index].usable();
  }
  return true;
}

}  // namespace

AdminResponse handle_metrics(AdminContext& context, const AdminRequest&) {
  static const stats::StatsRegistry kNoStatistics(0);
  const auto table = context.state.table();
  stats::MetricsInputs inputs;
  inputs.connections_active = context.connections_active ? context.connections_active() : 0;
  inputs.reloads_applied = context.state.reloads_applied();
  inputs.reloads_rejected = context.state.reloads_rejected();
  inputs.endpoint_healthy = [&table](std::string_view upstream, std::size_t index) {
    return endpoint_healthy(table.get(), upstream, index);
  };
  const auto* registry = context.state.stats();
  AdminResponse response;
  response.content_type = std::string(stats::kPrometheusContentType);
  stats::render_prometheus(registry != nullptr ? *registry : kNoStatistics, context.state.config(),
                           inputs, response.body);
  if (table) append_upstream_overflow_metrics(*table, response.body);
  append_listener_metrics(context.listener_figures ? context.listener_figures() : std::vector<net::ListenerFigures>{},
                          response.body);
  return response;
}

}  // namespace switchyard::proxy::admin
