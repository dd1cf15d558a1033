#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {

const std::vector<Endpoint>& handler_table() {
  // The one place where the admin API's paths are named. Every /v1 path needs the bearer
  // token when one is configured (see AdminServer); the others are open.
  static const std::vector<Endpoint> table = {
      {"GET", "/healthz", handle_healthz},
      {"GET", "/metrics", handle_metrics},
      {"GET", "/v1/routes", handle_list_routes},
      {"GET", "/v1/routes/{route}", handle_get_route},
      {"GET", "/v1/routes/{route}/stats", handle_route_stats},
      {"PUT", "/v1/routes/{route}/weights", handle_put_weights},
      {"PUT", "/v1/routes/{route}/split", handle_put_split},
      {"POST", "/v1/routes/{route}/revert", handle_revert},
      {"GET", "/v1/upstreams", handle_list_upstreams},
      {"PUT", "/v1/upstreams/{name}", handle_put_upstream},
      {"DELETE", "/v1/upstreams/{name}", handle_delete_upstream},
      {"GET", "/v1/events", handle_get_events},
      {"GET", "/v1/config", handle_get_config},
      {"POST", "/v1/config/reload", handle_reload_config},
  };
  return table;
}

}  // namespace switchyard::proxy::admin
