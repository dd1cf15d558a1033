#include "demo/demo_websocket.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>

namespace switchyard::demo {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

bool is_websocket_request(const http::request<http::buffer_body>& request) {
  auto target = request.target();
  auto path = target.substr(0, target.find('?'));
  return path == "/ws" && websocket::is_upgrade(request);
}

asio::awaitable<void> serve_websocket(beast::tcp_stream stream, const http::request<http::buffer_body>& request) {
  constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
  stream.expires_never();  // the websocket stream keeps its own timeouts
  websocket::stream<beast::tcp_stream> ws(std::move(stream));
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  auto [aec] = co_await ws.async_accept(request, nothrow);
  if (aec) co_return;
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, nothrow);
    if (ec) co_return;  // includes websocket::error::closed: the client's close was answered
    if (ws.got_text() && beast::buffers_to_string(buffer.data()) == "close") {
      co_await ws.async_close(websocket::close_code::normal, nothrow);
      // Reads until the client's close frame arrives (the close handshake), then ends.
      for (;;) {
        auto [rec, rn] = co_await ws.async_read(buffer, nothrow);
        if (rec) co_return;
        buffer.consume(buffer.size());
      }
    }
    ws.text(ws.got_text());
    auto [wec, wn] = co_await ws.async_write(buffer.data(), nothrow);
    if (wec) co_return;
    buffer.consume(buffer.size());
  }
}

}  // namespace switchyard::demo
