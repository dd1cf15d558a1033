// POST /v1/routes/{route}/revert: all traffic to the guard's revert_to (or the first version),
// at once. The body is ignored. Answers the new ROUTE.
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {

AdminResponse handle_revert(AdminContext& context, const AdminRequest& request) {
  const auto route = request.param("route");
  const auto result = context.state.revert(route);
  return route_answer(context, route, result);
}

}  // namespace switchyard::proxy::admin
