#pragma once
// One active health check: an HTTP/1.1 GET of the check path to one endpoint, bounded by the
// check's timeout; any 2xx passes. Runs on the control io_context and leaves its outcome in the
// endpoint's EndpointHealth::control.probe_result for HealthMonitor's next tick, so that the
// state machine, events and log lines stay in one place. Control-thread only.
//
// The probe owns a reference to the EndpointHealth: an endpoint removed while its check is in
// flight just loses the result.

#include <chrono>
#include <memory>
#include <string>

#include "proxy/routing/route_table.hpp"

namespace boost::asio {
class io_context;
}

namespace switchyard::proxy::admin {

void start_health_probe(boost::asio::io_context& control, const routing::Endpoint& endpoint, std::string path,
                        std::chrono::milliseconds timeout);

}  // namespace switchyard::proxy::admin
