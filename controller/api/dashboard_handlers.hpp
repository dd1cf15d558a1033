#pragma once
// The dashboard's calls (docs/dashboard.md): the embedded page (GET / and /static/...), live
// series from the StatsSampler (GET /v1/series) and the event timeline (GET /v1/events).
// Control thread; nothing here waits on a proxy.

#include <optional>

#include "controller/api/api_handlers.hpp"

namespace switchyard::controller::api {

// GET / and GET /static/{file}: the page (no token: it holds no data); empty for other paths.
std::optional<ApiResponse> serve_dashboard(const ApiRequest& request);
// GET /v1/series?env=E&route=R&since_ms=T
ApiResponse get_series(const ApiContext& context, const ApiRequest& request);
// GET /v1/events?after=SEQ&limit=N
ApiResponse list_events(ApiContext& context, const ApiRequest& request);
// A `weights_set` event for a manual PUT .../weights (the rollouts record their own steps).
void record_weights_event(ApiContext& context, const std::string& env, const std::string& route,
                          const boost::json::object& weights, const boost::json::array& outcomes);

}  // namespace switchyard::controller::api
