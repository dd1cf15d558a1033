#pragma once
// GET /v1/analytics (deployment figures over a window) and GET /metrics (the controller's own
// Prometheus metrics), both computed from the state file at call time (docs/analytics.md).
// Control thread, like every handler: the store belongs to it. Cost: the indexed queries of
// StateStore::analytics_history, proportional to the rollouts and events counted.

#include "controller/api/api_handlers.hpp"

namespace switchyard::controller::api {

ApiResponse get_analytics(ApiContext& context, const ApiRequest& request);
ApiResponse get_metrics(ApiContext& context);

}  // namespace switchyard::controller::api
