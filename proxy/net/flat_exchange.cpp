#include "proxy/net/flat_exchange.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <string_view>

#include "proxy/net/client_stream.hpp"
#include "proxy/net/head_writer.hpp"
#include "proxy/net/upstream_acquire.hpp"
#include "proxy/net/worker.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
Failure client_failure() { return Failure{FailureKind::client, FailureSource::downstream, false}; }
}  // namespace

std::size_t compose_flat_response(const ExchangeRequest& request, const FlatResponseHead& head, char* buffer,
                                  std::size_t capacity) {
  const unsigned status = head.status();
  if (status < 200) return 0;  // 1xx interim answers and 101 switching: Beast's loop and the tunnel
  if (!response_has_no_body(status, request.head_request) && !head.has_content_length()) return 0;
  HeadWriter out(buffer, capacity);
  write_response_head(head, request.set_cookie, request.client_keep_alive, out);
  return out.ok() ? out.size() : 0;
}

asio::awaitable<ExchangeResult> send_flat_response(Worker& worker, ExchangeRequest& request,
                                                   std::unique_ptr<UpstreamConnection> connection, char* buffer,
                                                   std::size_t head_size, std::size_t capacity) {
  const milliseconds idle{worker.timeouts().idle_ms};
  const FlatResponseHead& head = connection->response_head;
  const unsigned status = head.status();
  report_outcome(*connection, status < 500);
  std::uint64_t remaining = response_has_no_body(status, request.head_request) ? 0 : head.content_length();
  const bool upstream_keep_alive = head.keep_alive();

  auto& in = connection->buffer;
  in.consume(head.head_bytes());  // the head now lives in `buffer`, rewritten
  const std::size_t first = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, in.size()));
  const std::array<asio::const_buffer, 2> message{asio::const_buffer(buffer, head_size),
                                                 asio::const_buffer(in.data().data(), first)};
  request.client.expires_after(idle);
  auto [ec, n] = co_await asio::async_write(request.client, message, nothrow);
  if (ec) co_return ExchangeResult{false, status, client_failure(), nullptr};
  in.consume(first);
  remaining -= first;

  while (remaining > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, capacity));
    connection->stream.expires_after(idle);
    auto [rec, got] = co_await connection->stream.async_read_some(asio::buffer(buffer, want), nothrow);
    if (rec) {
      const auto kind = rec == boost::beast::error::timeout ? FailureKind::timeout : FailureKind::reset;
      co_return ExchangeResult{false, status, Failure{kind, FailureSource::upstream, false}, nullptr};
    }
    request.client.expires_after(idle);
    auto [wec, sent] = co_await asio::async_write(request.client, asio::buffer(buffer, got), nothrow);
    if (wec) co_return ExchangeResult{false, status, client_failure(), nullptr};
    remaining -= got;
  }
  // Bytes past the declared length mean the upstream cannot be trusted with another request.
  if (upstream_keep_alive && in.size() == 0) worker.upstream_pool().put(std::move(connection));
  co_return ExchangeResult{request.client_keep_alive, status, {}, nullptr};
}

}  // namespace switchyard::proxy::net
