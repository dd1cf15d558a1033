#pragma once
// Pausing a worker's accept loop while its listener is at max_connections. Worker-local
// (the gate it reads is shared, see listener_gate.hpp).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace switchyard::proxy::net {

class Worker;
class ListenerGate;

// Waits until `gate` is below its limit; false when the worker drains or the acceptor closes
// meanwhile. Polls: a connection closing on another worker has no cheap way to wake this one,
// and the poll only runs while the listener is full.
boost::asio::awaitable<bool> wait_below_limit(Worker& worker, boost::asio::ip::tcp::acceptor& acceptor,
                                              ListenerGate& gate, boost::asio::steady_timer& timer);

}  // namespace switchyard::proxy::net
