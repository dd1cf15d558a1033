#pragma once
// The demo backend's WebSocket endpoint, /ws: echoes every text and binary message as it came;
// a text message "close" makes the server start the close handshake. Worker-local; runs in the
// connection's coroutine once the HTTP session has read an upgrade request for /ws.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>

namespace switchyard::demo {

// True for a WebSocket upgrade request to /ws.
bool is_websocket_request(const boost::beast::http::request<boost::beast::http::buffer_body>& request);

// Accepts the upgrade on `stream` and serves the echo until either side closes.
boost::asio::awaitable<void> serve_websocket(boost::beast::tcp_stream stream,
                                             const boost::beast::http::request<boost::beast::http::buffer_body>& request);

}  // namespace switchyard::demo
