#include "proxy/net/exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <memory>
#include <optional>

#include "proxy/net/body_relay.hpp"
#include "proxy/net/forwarding_headers.hpp"
#include "proxy/net/stream_errors.hpp"
#include "proxy/net/worker.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

struct Acquired {
  std::unique_ptr<UpstreamConnection> connection;
  Failure failure;
};

Failure upstream_failure(FailureKind kind, bool retryable = false) {
  return Failure{kind, FailureSource::upstream, retryable};
}

asio::awaitable<std::unique_ptr<UpstreamConnection>> connect_to(Worker& worker, const routing::Endpoint& endpoint) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(endpoint.host, ec);
  if (ec) co_return nullptr;
  auto connection = std::make_unique<UpstreamConnection>(worker.io().get_executor());
  connection->endpoint_key = endpoint.key;
  connection->stream.expires_after(milliseconds(worker.timeouts().connect_ms));
  auto [cec] = co_await connection->stream.async_connect(tcp::endpoint{address, endpoint.port}, nothrow);
  if (cec) co_return nullptr;
  connection->stream.socket().set_option(tcp::no_delay(true), ec);
  co_return connection;
}

// A connection to one endpoint of the upstream: an idle pooled one when allowed, else a new
// one. A failed connect moves on to another endpoint of the same upstream (at most two tried).
asio::awaitable<Acquired> acquire(Worker& worker, const ExchangeRequest& request, bool allow_pooled) {
  const auto& endpoints = request.upstream.endpoints;
  const std::size_t count = endpoints.size();
  const std::size_t start = count ? worker.next_endpoint(request.upstream_index) % count : 0;
  int attempts = 0;
  for (std::size_t i = 0; i < count && attempts < 2; ++i) {
    const auto& endpoint = endpoints[(start + i) % count];
    if (!endpoint.healthy) continue;
    if (allow_pooled) {
      if (auto pooled = worker.upstream_pool().take(endpoint.key)) co_return Acquired{std::move(pooled), {}};
    }
    ++attempts;
    if (auto fresh = co_await connect_to(worker, endpoint)) co_return Acquired{std::move(fresh), {}};
  }
  co_return Acquired{nullptr, attempts ? upstream_failure(FailureKind::connect) : upstream_failure(FailureKind::no_endpoint)};
}

bool response_has_no_body(unsigned status, bool head_request) {
  return head_request || status / 100 == 1 || status == 204 || status == 304;
}

// Sends the request head (and, without a body, completes the message) on `connection`.
asio::awaitable<boost::system::error_code> send_head(UpstreamConnection& connection,
                                                     http::request_serializer<http::buffer_body>& serializer,
                                                     RequestParser& parser, milliseconds timeout) {
  auto& body = parser.get().body();
  body.data = nullptr;
  body.size = 0;
  body.more = !parser.is_done();
  connection.stream.expires_after(timeout);
  auto [ec, n] = co_await http::async_write_header(connection.stream, serializer, nothrow);
  if (!ec && !parser.is_done()) co_return ec;
  if (!ec && !serializer.is_done()) {
    auto [fec, fn] = co_await http::async_write(connection.stream, serializer, nothrow);
    if (fec == http::error::need_buffer) fec = {};
    ec = fec;
  }
  co_return ec;
}

asio::awaitable<bool> send_continue(beast::tcp_stream& client, milliseconds timeout) {
  static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
  client.expires_after(timeout);
  auto [ec, n] = co_await asio::async_write(client, asio::buffer(kContinue, sizeof kContinue - 1), nothrow);
  co_return !ec;
}

// Reads the final response head, skipping interim 1xx answers (100 Continue, 103 Early Hints).
asio::awaitable<boost::system::error_code> read_response_head(UpstreamConnection& connection,
                                                              std::optional<ResponseParser>& parser,
                                                              bool head_request,
                                                              std::chrono::steady_clock::time_point deadline,
                                                              bool& got_bytes) {
  for (;;) {
    parser.emplace();
    parser->body_limit(boost::none);
    parser->header_limit(64 * 1024);
    if (head_request) parser->skip(true);
    connection.stream.expires_at(deadline);
    auto [ec, n] = co_await http::async_read_header(connection.stream, connection.buffer, *parser, nothrow);
    got_bytes = got_bytes || n > 0;
    if (ec) co_return ec;
    unsigned status = parser->get().result_int();
    if (status < 100 || status >= 200 || status == 101) co_return ec;
  }
}

}  // namespace

asio::awaitable<ExchangeResult> exchange_with_upstream(Worker& worker, ExchangeRequest& request) {
  const auto& timeouts = worker.timeouts();
  const milliseconds idle{timeouts.idle_ms};
  auto& parser = request.parser;
  const bool has_body = !parser.is_done();
  auto lease = worker.buffers().acquire();

  std::unique_ptr<UpstreamConnection> connection;
  std::optional<ResponseParser> response;
  bool continue_sent = false;
  for (int attempt = 0;; ++attempt) {
    // Only the first attempt may take a pooled connection; a retry always connects afresh.
    auto acquired = co_await acquire(worker, request, attempt == 0);
    if (!acquired.connection) co_return ExchangeResult{false, 0, acquired.failure};
    connection = std::move(acquired.connection);

    http::request_serializer<http::buffer_body> serializer{parser.get()};
    auto ec = co_await send_head(*connection, serializer, parser, idle);
    if (ec) {
      // Nothing of the body was sent: a stale pooled connection may be retried on a fresh one.
      if (connection->reused && attempt == 0) continue;
      co_return ExchangeResult{false, 0, upstream_failure(FailureKind::reset)};
    }
    if (has_body) {
      if (request.expect_continue && !continue_sent) {
        continue_sent = true;
        if (!co_await send_continue(request.client, idle))
          co_return ExchangeResult{false, 0, Failure{FailureKind::client, FailureSource::downstream, false}};
      }
      auto relayed = co_await relay_body(request.client, request.client_buffer, parser, connection->stream,
                                         serializer, lease.data(), lease.size(), idle);
      if (relayed.status == RelayStatus::read_failed)
        co_return ExchangeResult{false, 0, Failure{FailureKind::client, FailureSource::downstream, false},
                                 relayed.error};
      if (relayed.status == RelayStatus::write_failed)
        co_return ExchangeResult{false, 0, upstream_failure(FailureKind::reset)};
    }
    // request_ms counts from the moment the whole request was sent (as Envoy's route timeout does),
    // so a long upload is bounded by the idle timeout per read, not by the response deadline.
    const auto response_deadline = std::chrono::steady_clock::now() + milliseconds(timeouts.request_ms);
    bool got_bytes = false;
    ec = co_await read_response_head(*connection, response, request.head_request, response_deadline, got_bytes);
    if (!ec) break;
    if (ec == beast::error::timeout) co_return ExchangeResult{false, 0, upstream_failure(FailureKind::timeout)};
    if (is_peer_close(ec) && connection->reused && attempt == 0 && !has_body && !got_bytes) continue;
    co_return ExchangeResult{false, 0, upstream_failure(FailureKind::reset)};
  }

  auto& message = response->get();
  const unsigned status = message.result_int();
  const bool upstream_reusable = message.keep_alive() && !response->need_eof();
  const bool no_body = response_has_no_body(status, request.head_request);
  bool client_keep_alive = request.client_keep_alive;

  remove_hop_by_hop(message);
  if (!no_body && !message.has_content_length() && !message.chunked()) {
    // The upstream delimits by closing: re-frame as chunked so the client connection survives.
    message.chunked(true);
  }
  if (!request.set_cookie.empty()) message.insert(http::field::set_cookie, request.set_cookie);
  message.version(11);
  message.keep_alive(client_keep_alive);

  http::response_serializer<http::buffer_body> serializer{message};
  message.body().data = nullptr;
  message.body().size = 0;
  message.body().more = !no_body;
  request.client.expires_after(idle);
  auto [wec, wn] = co_await http::async_write_header(request.client, serializer, nothrow);
  if (wec) co_return ExchangeResult{false, status, Failure{FailureKind::client, FailureSource::downstream, false}};

  if (!no_body) {
    auto relayed = co_await relay_body(connection->stream, connection->buffer, *response, request.client,
                                       serializer, lease.data(), lease.size(), idle);
    if (relayed.status == RelayStatus::read_failed) {
      auto kind = relayed.error == beast::error::timeout ? FailureKind::timeout : FailureKind::reset;
      co_return ExchangeResult{false, status, upstream_failure(kind)};
    }
    if (relayed.status == RelayStatus::write_failed)
      co_return ExchangeResult{false, status, Failure{FailureKind::client, FailureSource::downstream, false}};
  }
  if (upstream_reusable && response->is_done()) worker.upstream_pool().put(std::move(connection));
  co_return ExchangeResult{client_keep_alive, status, {}};
}

}  // namespace switchyard::proxy::net
