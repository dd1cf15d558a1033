// PUT /v1/routes/{route}/split {"split":[{"version","upstream","weight"}...]}: replaces the
// route's split (adds or removes versions). Answers the new ROUTE.
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
  const auto result = context.state.replace_split(route, std::move(std::get<0>(split)));
  return route_answer(context, route, result);
}

}  // namespace switchyard::proxy::admin
