// PUT /v1/routes/{route}/split {"split":[{"version","upstream","weight"}...],"revert_to":"V"}:
// replaces the route's split (adds or removes versions); revert_to (optional) moves the guard's
// baseline, so that a promoted version can replace the old one. Answers the new ROUTE.
#include "proxy/admin/admin_json.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {

AdminResponse handle_put_split(AdminContext& context, const AdminRequest& request) {
  const auto route = request.param("route");
  if (context.state.find_route(route) == nullptr) {
    return error_response(404, "no such route: " + std::string(route));
  }
  auto split = parse_split_body(request.body);
  if (auto* error = std::get_if<AdminError>(&split)) return error_response(*error);
  auto& body = std::get<0>(split);
  const auto result = context.state.replace_split(route, std::move(body.split), body.revert_to);
  return route_answer(context, route, result);
}

}  // namespace switchyard::proxy::admin
