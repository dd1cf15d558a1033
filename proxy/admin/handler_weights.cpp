// PUT /v1/routes/{route}/weights {"stable":90,"canary":10}: new weights for the named versions;
// the others keep theirs. Re-arms a tripped guard. Answers the new ROUTE.
#include "proxy/admin/admin_json.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {

AdminResponse handle_put_weights(AdminContext& context, const AdminRequest& request) {
  const auto route = request.param("route");
  // An unknown route is a 404 whatever the body says.
  if (context.state.find_route(route) == nullptr) {
    return error_response(404, "no such route: " + std::string(route));
  }
  auto weights = parse_weights_body(request.body);
  if (auto* error = std::get_if<AdminError>(&weights)) return error_response(*error);
  const auto result = context.state.set_weights(route, std::get<0>(weights));
  return route_answer(context, route, result);
}

}  // namespace switchyard::proxy::admin
