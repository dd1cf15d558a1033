#include "proxy/net/client_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/net/tls_server_context.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

ClientStream::ClientStream(tcp::socket socket, std::shared_ptr<const TlsServerContext> tls)
    : tcp_(std::move(socket)), contexts_(std::move(tls)) {
  if (contexts_) tls_ = std::make_unique<TlsStream>(tcp_, contexts_->default_context());
}

ClientStream::~ClientStream() = default;

asio::awaitable<boost::system::error_code> ClientStream::handshake(std::chrono::milliseconds timeout) {
  if (!tls_) co_return boost::system::error_code{};
  tcp_.expires_after(timeout);
  auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
  tls_ready_ = !ec;
  co_return ec;
}

asio::awaitable<void> ClientStream::close(std::chrono::milliseconds timeout, bool await_peer) {
  boost::system::error_code ignored;
  if (tls_ready_ && tcp_.socket().is_open()) {
    // close_notify, so that the client can tell our end from a truncation attack. Waiting for
    // the client's close_notify is not required (RFC 8446 §6.1) and would hold the connection
    // open: marking it as received makes SSL_shutdown send ours and finish.
    if (!await_peer)
      SSL_set_shutdown(tls_->native_handle(), SSL_get_shutdown(tls_->native_handle()) | SSL_RECEIVED_SHUTDOWN);
    tcp_.expires_after(timeout);
    co_await tls_->async_shutdown(asio::as_tuple(asio::use_awaitable));
  }
  tcp_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  tcp_.socket().close(ignored);
}

void ClientStream::shutdown_send() {
  boost::system::error_code ignored;
  tcp_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace switchyard::proxy::net
