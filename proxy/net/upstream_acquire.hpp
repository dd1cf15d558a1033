#pragma once
// Getting a connection for one request to one upstream: an idle pooled one, or a new one to a
// usable endpoint within the upstream's circuit breakers (waiting as a pending request when
// at max_connections). A failed connect moves on to another usable endpoint (at most two tried)
// and counts against the endpoint's passive health. Nothing of the request is sent here, so a
// retry inside acquire can never send a body twice.
// Worker-local. Included only by proxy/net .cpp files (Beast/Asio templates).

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>

#include "proxy/net/failure.hpp"
#include "proxy/net/upstream_connection.hpp"
#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::net {

class Worker;

struct Acquired {
  std::unique_ptr<UpstreamConnection> connection;
  Failure failure;  // connect, no_endpoint or overflow when connection is null
};

// How a request may use the idle pool: a retry never does; a request with a body takes only
// connections a peek shows open (its body cannot be sent twice); one without a body takes any
// and is retried on a fresh connection if the pooled one turns out closed.
enum class PoolUse { none, any, probed };

// Where this request's turn through the upstream's endpoints starts (advances the rotation).
std::size_t rotation_start(Worker& worker, std::uint32_t upstream_index, const routing::Upstream& upstream);

// The common case, without suspending (no coroutine frame): a pooled connection to the first
// usable endpoint from `start`, or null (then acquire_connection connects there).
std::unique_ptr<UpstreamConnection> take_pooled_first(Worker& worker, const routing::Upstream& upstream,
                                                      std::size_t start, PoolUse pool_use);

// From `start`: a pooled connection, or a new one (waiting for capacity under max_connections),
// trying a second endpoint when the first refuses the connection.
boost::asio::awaitable<Acquired> acquire_connection(Worker& worker, const routing::Upstream& upstream,
                                                    std::size_t start, PoolUse pool_use);

// Passive health: the outcome of an exchange on `connection` (a 5xx answer is a failure).
inline void report_outcome(UpstreamConnection& connection, bool ok) {
  if (!connection.health) return;
  if (ok) {
    connection.health->report_success();
  } else {
    connection.health->report_failure();
  }
}

}  // namespace switchyard::proxy::net
