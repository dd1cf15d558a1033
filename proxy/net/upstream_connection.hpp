#pragma once
// UpstreamConnection: one keep-alive connection to one upstream endpoint, with its read buffer.
// Worker-local. Owned by the request that uses it, or by the worker's UpstreamPool while idle.

#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "proxy/net/deadline_stream.hpp"
#include "proxy/net/flat_response_head.hpp"
#include "proxy/net/upstream_admission.hpp"
#include "proxy/routing/endpoint_health.hpp"

namespace switchyard::proxy::net {

struct UpstreamConnection {
  explicit UpstreamConnection(boost::asio::any_io_executor executor) : stream(std::move(executor)) {}

  DeadlineStream stream;
  boost::beast::flat_buffer buffer;
  std::string endpoint_key;  // pool key, "host:port"
  std::chrono::steady_clock::time_point idle_since{};
  bool reused = false;       // taken from the pool (may have been closed by the peer meanwhile)
  // Passive health: where this connection's outcomes are reported (set once, at connect).
  std::shared_ptr<routing::EndpointHealth> health;
  ConnectionSlot slot;       // counts against the upstream's max_connections while open
  FlatResponseHead response_head;  // the fast path's parse of the current response (views into buffer)
};

}  // namespace switchyard::proxy::net
