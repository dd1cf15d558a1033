// GET /v1/routes and GET /v1/routes/{route}: the routes in force, runtime changes included.
#include <boost/json.hpp>

#include "proxy/admin/admin_json.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {

AdminResponse handle_list_routes(AdminContext& context, const AdminRequest&) {
  boost::json::array routes;
  for (const auto& route : context.state.config().routes) {
    routes.push_back(route_to_json(route, context.state.guard_state(route.name)));
  }
  return json_response(200, boost::json::object{{"routes", std::move(routes)}});
}

AdminResponse handle_get_route(AdminContext& context, const AdminRequest& request) {
  const auto name = request.param("route");
  const auto* route = context.state.find_route(name);
  if (route == nullptr) return error_response(404, "no such route: " + std::string(name));
  return json_response(200, route_to_json(*route, context.state.guard_state(name)));
}

AdminResponse route_answer(AdminContext& context, std::string_view route,
                           const MutationResult& result) {
  if (!result.ok()) return error_response(*result.error);
  AdminRequest request;
  request.params.emplace_back("route", std::string(route));
  return handle_get_route(context, request);
}

}  // namespace switchyard::proxy::admin
