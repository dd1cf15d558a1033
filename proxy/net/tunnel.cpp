#include "proxy/net/tunnel.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <memory>

#include "proxy/net/client_stream.hpp"
#include "proxy/net/stream_errors.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kTunnelBuffer = 16 * 1024;

// Shared by the two directions and the idle watchdog; all three run on the worker's thread.
struct TunnelState {
  TunnelState(ClientStream& c, UpstreamConnection& u, Clock::duration idle_time)
      : client(c), upstream(u), idle(idle_time), watchdog(c.get_executor()) {}

  // Ends every pending operation on both sides: each direction then finishes.
  void abort() {
    boost::system::error_code ignored;
    upstream.stream.socket().close(ignored);
    client.tcp().cancel();
  }
  void direction_done() {
    if (--open == 0) watchdog.cancel();
  }

  ClientStream& client;
  UpstreamConnection& upstream;
  Clock::duration idle;
  asio::steady_timer watchdog;
  Clock::time_point last_activity = Clock::now();
  int open = 2;
  bool idle_expired = false;
};

// Copies `from` -> `to` (first what `pending` already holds); returns the error that ended it.
template <class From, class To>
asio::awaitable<boost::system::error_code> copy(From& from, beast::flat_buffer& pending, To& to, TunnelState& state,
                                                std::uint64_t& bytes) {
  if (pending.size() > 0) {
    auto [ec, n] = co_await asio::async_write(to, pending.data(), nothrow);
    if (ec) co_return ec;
    bytes += n;
    pending.consume(pending.size());
  }
  auto buffer = std::make_unique<char[]>(kTunnelBuffer);
  for (;;) {
    auto [ec, n] = co_await from.async_read_some(asio::buffer(buffer.get(), kTunnelBuffer), nothrow);
    if (n > 0) {
      state.last_activity = Clock::now();
      auto [wec, wn] = co_await asio::async_write(to, asio::buffer(buffer.get(), n), nothrow);
      if (wec) co_return wec;
      bytes += wn;
      state.last_activity = Clock::now();
    }
    if (ec) co_return ec;
  }
}

bool is_end_of_data(const boost::system::error_code& ec) {
  // eof: FIN, or a TLS close_notify; stream_truncated: TLS peer closed without close_notify.
  return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

asio::awaitable<void> client_to_upstream(TunnelState& state, beast::flat_buffer& client_buffer, std::uint64_t& bytes) {
  auto ec = co_await copy(state.client, client_buffer, state.upstream.stream, state, bytes);
  if (is_end_of_data(ec)) {
    boost::system::error_code ignored;
    state.upstream.stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  } else {
    state.abort();
  }
  state.direction_done();
}

asio::awaitable<void> upstream_to_client(TunnelState& state, std::uint64_t& bytes) {
  auto ec = co_await copy(state.upstream.stream, state.upstream.buffer, state.client, state, bytes);
  if (is_end_of_data(ec) && !state.client.is_tls()) {
    state.client.shutdown_send();
  } else if (is_end_of_data(ec)) {
    // TLS: stop reading the client; the connection's close sends close_notify.
    state.client.tcp().cancel();
  } else {
    state.abort();
  }
  state.direction_done();
}

asio::awaitable<void> watch_idle(TunnelState& state) {
  while (state.open > 0) {
    state.watchdog.expires_at(state.last_activity + state.idle);
    co_await state.watchdog.async_wait(nothrow);
    if (state.open == 0) break;
    if (Clock::now() - state.last_activity >= state.idle) {
      state.idle_expired = true;
      state.abort();
      break;
    }
  }
}

}  // namespace

asio::awaitable<TunnelOutcome> run_tunnel(ClientStream& client, beast::flat_buffer& client_buffer,
                                          UpstreamConnection& upstream, std::chrono::milliseconds idle) {
  // The watchdog replaces the per-operation deadlines: data in one direction keeps both alive.
  client.expires_never();
  upstream.stream.expires_never();
  TunnelState state(client, upstream, idle);
  TunnelOutcome outcome;
  co_await (client_to_upstream(state, client_buffer, outcome.bytes_up) &&
            upstream_to_client(state, outcome.bytes_down) && watch_idle(state));
  outcome.idle_timeout = state.idle_expired;
  co_return outcome;
}

}  // namespace switchyard::proxy::net
