#pragma once
// ClientConnection: one accepted client connection and the loop that serves its requests in
// order (HTTP/1.1 keep-alive; pipelined requests wait in the read buffer for their turn).
// Worker-local; it lives in its coroutine frame and registers itself with the worker so that
// a drain can close it while it waits idle between requests.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

namespace switchyard::proxy::net {

class Worker;
class ClientConnection;
class TlsServerContext;
class ListenerGate;

// Serves `socket` (over TLS when `tls` is set: a listener with `tls:`) until the client closes,
// an error ends the connection or a drain stops it. `gate` (may be null) counted the connection
// in when accepted; it is counted out at the end.
boost::asio::awaitable<void> serve_client(Worker& worker, boost::asio::ip::tcp::socket socket,
                                          std::shared_ptr<const TlsServerContext> tls,
                                          ListenerGate* gate);

// Closes the connection if it is waiting for a new request (drain); a busy one finishes its
// current exchange and then closes by itself.
void close_if_idle(ClientConnection& connection);

}  // namespace switchyard::proxy::net
