// GET /healthz: 200 while the control thread serves. Open even when a token is configured.
#include <boost/json.hpp>

#include "proxy/admin/admin_json.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {

AdminResponse handle_healthz(AdminContext&, const AdminRequest&) {
  return json_response(200, boost::json::object{{"status", "ok"}});
}

}  // namespace switchyard::proxy::admin
