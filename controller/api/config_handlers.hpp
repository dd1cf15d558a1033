#pragma once
// API calls of promotion, environment-specific configuration and instances
// (docs/controller-api.md): POST /v1/apps/{app}/promote, GET /v1/apps/{app}/config?env=E,
// GET /v1/instances?app=&env=; and the start of a rollout with what only the proxies know
// (baseline, dependencies' live versions), shared by POST /v1/rollouts.
// Control thread, like every handler (proxy calls on the BlockingPool).

#include "controller/api/api_handlers.hpp"

namespace switchyard::controller::api {

// Looks up the route's baseline and the live version of each `depends_on` app on the
// environment's proxies, then starts the rollout; 201 ROLLOUT or the engine's refusal.
boost::asio::awaitable<ApiResponse> start_looked_up(ApiContext& context, const engine::StartRequest& asked);
boost::asio::awaitable<ApiResponse> promote_env(ApiContext& context, const ApiRequest& request, const std::string& app);
ApiResponse show_config(ApiContext& context, const ApiRequest& request, const std::string& app);
ApiResponse list_instances(ApiContext& context, const ApiRequest& request);

}  // namespace switchyard::controller::api
