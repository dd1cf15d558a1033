#pragma once
// ClientStream: the client side of a proxied connection, plain TCP or TLS over TCP, behind one
// type so that the HTTP session, the body relay and the tunnel have one body of code. Each I/O
// call picks the plain or the TLS stream at run time (one predictable branch); both branches
// take the same handler, so nothing is type-erased. Timeouts are the DeadlineStream's and so
// cover the TLS records too. Worker-local; owned by the ClientConnection.
// Included only by proxy/net .cpp files: it pulls in Beast and Asio's SSL templates.

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <chrono>
#include <memory>

#include "proxy/net/deadline_stream.hpp"

namespace switchyard::proxy::net {

class TlsServerContext;

class ClientStream {
 public:
  using executor_type = DeadlineStream::executor_type;
  using TlsStream = boost::asio::ssl::stream<DeadlineStream&>;

  // `tls` null: plain TCP. Otherwise the TLS session is created from the listener's contexts
  // in force now (the connection keeps them alive, a reload does not affect it).
  ClientStream(boost::asio::ip::tcp::socket socket, std::shared_ptr<const TlsServerContext> tls);
  ~ClientStream();
  ClientStream(const ClientStream&) = delete;
  ClientStream& operator=(const ClientStream&) = delete;

  executor_type get_executor() { return tcp_.get_executor(); }
  bool is_tls() const { return tls_ != nullptr; }
  boost::asio::ip::tcp::socket& socket() { return tcp_.socket(); }
  DeadlineStream& tcp() { return tcp_; }
  void expires_after(std::chrono::steady_clock::duration timeout) { tcp_.expires_after(timeout); }
  void expires_never() { tcp_.expires_never(); }

  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBufferSequence& b) {
          if (tls_) [[unlikely]]
            tls_->async_read_some(b, std::move(handler));
          else
            tcp_.async_read_some(b, std::move(handler));
        },
        token, buffers);
  }

  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBufferSequence& b) {
          if (tls_) [[unlikely]]
            tls_->async_write_some(b, std::move(handler));
          else
            tcp_.async_write_some(b, std::move(handler));
        },
        token, buffers);
  }

  // TLS: the server handshake, bounded by `timeout`; plain: succeeds at once.
  boost::asio::awaitable<boost::system::error_code> handshake(std::chrono::milliseconds timeout);
  // Ends the connection: TLS sends close_notify first, then both shut the socket down and close
  // it. With `await_peer`, TLS also waits (at most `timeout`) for the client's close_notify: a
  // peer that answers ours (a WebSocket client tearing down) would otherwise meet a reset.
  boost::asio::awaitable<void> close(std::chrono::milliseconds timeout, bool await_peer = false);
  // Plain TCP: signals our end of data to the peer (FIN) and keeps reading. TLS has no
  // half-close that leaves a pending read usable, so callers close a TLS stream instead.
  void shutdown_send();

 private:
  DeadlineStream tcp_;
  std::shared_ptr<const TlsServerContext> contexts_;  // keeps the SSL_CTX of this session alive
  std::unique_ptr<TlsStream> tls_;
  bool tls_ready_ = false;  // handshake done: close() sends close_notify
};

}  // namespace switchyard::proxy::net
