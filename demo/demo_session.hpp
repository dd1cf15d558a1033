#pragma once
#include "demo/demo_state.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace switchyard::demo {

// Serves one accepted connection until it closes: HTTP/1.1 keep-alive, one request at a time,
// bodies streamed through one reused 64 KiB buffer. Worker-local: runs entirely on the
// io_context of the worker that accepted the socket; never throws (errors end the connection).
boost::asio::awaitable<void> serve_connection(boost::asio::ip::tcp::socket socket,
                                              DemoState& state);

}  // namespace switchyard::demo
