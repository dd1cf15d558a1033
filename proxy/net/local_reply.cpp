#include "proxy/net/local_reply.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "proxy/net/client_stream.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
namespace http = boost::beast::http;

asio::awaitable<bool> send_local_reply(ClientStream& stream, unsigned status,
                                       std::string_view error_name, std::string_view text,
                                       bool keep_alive, std::chrono::milliseconds timeout) {
  http::response<http::string_body> response{static_cast<http::status>(status), 11};
  response.set(http::field::server, "switchyard");
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.set("x-switchyard-error", error_name);
  response.body().assign(text.data(), text.size());
  response.body().push_back('\n');
  response.keep_alive(keep_alive);
  response.prepare_payload();
  stream.expires_after(timeout);
  auto [ec, n] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

}  // namespace switchyard::proxy::net
