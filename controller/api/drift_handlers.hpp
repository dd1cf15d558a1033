#pragma once
// The drift calls of docs/controller-api.md: GET /v1/drift, GET /v1/drift/report and
// POST /v1/drift/accept. Control thread, like handle(); proxy reads go through the BlockingPool.

#include "controller/api/api_handlers.hpp"

namespace switchyard::controller::api {

bool is_drift_call(const std::string& path);
boost::asio::awaitable<ApiResponse> handle_drift(ApiContext& context, const ApiRequest& request);

}  // namespace switchyard::controller::api
