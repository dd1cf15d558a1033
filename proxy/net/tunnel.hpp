#pragma once
// The byte tunnel after an upgrade (WebSocket or any `Upgrade:` the upstream accepted with 101):
// copies bytes both ways until both directions ended. Bytes either side had already buffered
// past the HTTP heads go first. An end of data from one side is passed on as a half-close
// (TCP FIN to the other side; over TLS the client side is closed instead, TLS having no
// half-close); an error on either side, or `idle` with no byte in either direction, ends both.
// Worker-local; runs in the client connection's coroutine.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>

#include "proxy/net/upstream_connection.hpp"

namespace switchyard::proxy::net {

class ClientStream;

struct TunnelOutcome {
  std::uint64_t bytes_up = 0;    // client -> upstream
  std::uint64_t bytes_down = 0;  // upstream -> client
  bool idle_timeout = false;
};

boost::asio::awaitable<TunnelOutcome> run_tunnel(ClientStream& client, boost::beast::flat_buffer& client_buffer,
                                                 UpstreamConnection& upstream, std::chrono::milliseconds idle);

}  // namespace switchyard::proxy::net
