// GET /v1/config: {"hash":"<sha256 hex>","config":{...}}, the configuration in force (runtime
// changes included) in canonical form; the hash is over exactly the "config" text, so a
// controller can compare it across proxies or with its own rendering to detect drift.
// POST /v1/config/reload: re-reads the --config file; 400 with the loader's message if it is bad
// (the running configuration is kept), else {"hash":...,"restart_required":[...]}.
#include <boost/json.hpp>

#include "proxy/admin/admin_json.hpp"
#include "proxy/admin/config_json.hpp"
#include "proxy/admin/config_reload.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {

AdminResponse handle_get_config(AdminContext& context, const AdminRequest&) {
  const auto text = canonical_config_json(context.state.config());
  AdminResponse response;
  // Spliced as text, not re-serialised: the bytes under "config" are the bytes hashed.
  response.body = "{\"hash\":\"" + sha256_hex(text) + "\",\"config\":" + text + "}";
  return response;
}

AdminResponse handle_reload_config(AdminContext& context, const AdminRequest&) {
  const auto outcome = reload_config_file(context.state);
  if (!outcome.ok()) return error_response(*outcome.error);
  boost::json::array restart;
  for (const auto& key : outcome.restart_required) restart.push_back(boost::json::string(key));
  return json_response(
      200, boost::json::object{{"hash", outcome.hash}, {"restart_required", std::move(restart)}});
}

}  // namespace switchyard::proxy::admin
