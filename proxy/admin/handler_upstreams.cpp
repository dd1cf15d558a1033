// GET /v1/upstreams, PUT /v1/upstreams/{name}, DELETE /v1/upstreams/{name}.
// Endpoint health comes from the published snapshot; everything else from the config in force.
#include <boost/json.hpp>

#include "proxy/admin/admin_json.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {
namespace {

const routing::Upstream* live_upstream(const routing::RouteTable* table, std::string_view name) {
  if (table == nullptr) return nullptr;
  for (const auto& upstream : table->upstreams()) {
    if (upstream.name == name) return &upstream;
  }
  return nullptr;
}

boost::json::value upstream_answer(const ControlState& state, std::string_view name) {
  const auto table = state.table();
  return upstream_to_json(*state.find_upstream(name), live_upstream(table.get(), name));
}

}  // namespace

AdminResponse handle_list_upstreams(AdminContext& context, const AdminRequest&) {
  const auto table = context.state.table();
  boost::json::array upstreams;
  for (const auto& upstream : context.state.config().upstreams) {
    upstreams.push_back(upstream_to_json(upstream, live_upstream(table.get(), upstream.name)));
  }
  return json_response(200, boost::json::object{{"upstreams", std::move(upstreams)}});
}

AdminResponse handle_put_upstream(AdminContext& context, const AdminRequest& request) {
  const auto name = request.param("name");
  auto upstream = parse_upstream_body(request.body, name);
  if (auto* error = std::get_if<AdminError>(&upstream)) return error_response(*error);
  const auto result = context.state.put_upstream(std::move(std::get<0>(upstream)));
  if (!result.ok()) return error_response(*result.error);
  return json_response(result.created ? 201 : 200, upstream_answer(context.state, name));
}

AdminResponse handle_delete_upstream(AdminContext& context, const AdminRequest& request) {
  const auto name = request.param("name");
  const auto result = context.state.delete_upstream(name);
  if (!result.ok()) return error_response(*result.error);
  return json_response(200, boost::json::object{{"deleted", name}});
}

}  // namespace switchyard::proxy::admin
