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
#include "proxy/net/client_stream.hpp"
#include "proxy/net/flat_exchange.hpp"
#include "proxy/net/forwarding_headers.hpp"
#include "proxy/net/head_writer.hpp"
#include "proxy/net/stream_errors.hpp"
#include "proxy/net/upstream_acquire.hpp"
#include "proxy/net/upstream_admission.hpp"
#include "proxy/net/worker.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t kHeadReadSize = 16 * 1024;

std::string_view buffered(const UpstreamConnection& connection) {
  const auto data = connection.buffer.data();
  return {static_cast<const char*>(data.data()), data.size()};
}

Failure upstream_failure(FailureKind kind, bool retryable = false) {
  return Failure{kind, FailureSource::upstream, retryable};
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

asio::awaitable<bool> send_continue(ClientStream& client, milliseconds timeout) {
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

// The upstream accepted the upgrade: its 101 head goes to the client as it came (Upgrade and
// Connection included), and the connection is handed to the caller for the tunnel.
asio::awaitable<ExchangeResult> switch_protocols(ExchangeRequest& request, ResponseParser& response,
                                                 std::unique_ptr<UpstreamConnection> connection, milliseconds timeout) {
  auto& message = response.get();
  message.body().data = nullptr;
  message.body().size = 0;
  message.body().more = false;
  http::response_serializer<http::buffer_body> serializer{message};
  request.client.expires_after(timeout);
  auto [ec, n] = co_await http::async_write_header(request.client, serializer, nothrow);
  if (ec) co_return ExchangeResult{false, 101, Failure{FailureKind::client, FailureSource::downstream, false}, nullptr};
  co_return ExchangeResult{false, 101, {}, std::move(connection)};
}

}  // namespace

asio::awaitable<ExchangeResult> exchange_with_upstream(Worker& worker, ExchangeRequest& request) {
  const auto& timeouts = worker.timeouts();
  const milliseconds idle{timeouts.idle_ms};
  auto& parser = request.parser;
  const bool has_body = !parser.is_done();
  RequestSlot request_slot(request.upstream);
  if (!request_slot.admitted()) {
    count_overflow(request.upstream, OverflowKind::max_requests);
    co_return ExchangeResult{false, 0, upstream_failure(FailureKind::overflow), nullptr};
  }
  auto lease = worker.buffers().acquire();

  std::unique_ptr<UpstreamConnection> connection;
  std::optional<ResponseParser> response;
  std::size_t flat_head_size = 0;  // the fast path's composed client head, in the lease
  bool continue_sent = false;
  for (int attempt = 0;; ++attempt) {
    // Only the first attempt may take a pooled connection; a retry always connects afresh.
    connection.reset();  // a stale pooled connection frees its max_connections slot before the retry
    const PoolUse pool_use = attempt > 0 ? PoolUse::none : has_body ? PoolUse::probed : PoolUse::any;
    const std::size_t start = rotation_start(worker, request.upstream_index, request.upstream);
    connection = take_pooled_first(worker, request.upstream, start, pool_use);
    if (!connection) {
      auto acquired = co_await acquire_connection(worker, request.upstream, start, pool_use);
      if (!acquired.connection) co_return ExchangeResult{false, 0, acquired.failure, nullptr};
      connection = std::move(acquired.connection);
    }

    // A body-less request's head is written into the relay buffer and sent in one write (inline:
    // a coroutine frame per call costs more than the write's bookkeeping); one that does not fit
    // there, or one with a body, goes through Beast's serializer, made only then.
    std::optional<http::request_serializer<http::buffer_body>> serializer;
    boost::system::error_code ec;
    HeadWriter flat_request(lease.data(), has_body ? 0 : lease.size());
    if (!has_body) write_request_head(parser.get(), request.edits, flat_request);
    if (!has_body && flat_request.ok()) {
      connection->stream.expires_after(idle);
      auto [wec, wn] = co_await asio::async_write(connection->stream,
                                                  asio::buffer(flat_request.data(), flat_request.size()), nothrow);
      ec = wec;
    } else {
      if (request.edits) {  // a head too large for the relay buffer: edit the fields after all
        add_forwarded(parser.get(), request.edits->client_ip, request.edits->proto);
        remove_hop_by_hop(parser.get());
        request.edits = nullptr;
      }
      serializer.emplace(parser.get());
      ec = co_await send_head(*connection, *serializer, parser, idle);
    }
    if (ec) {
      // Nothing of the body was sent: a stale pooled connection may be retried on a fresh one.
      if (connection->reused && attempt == 0) continue;
      report_outcome(*connection, false);
      co_return ExchangeResult{false, 0, upstream_failure(FailureKind::reset), nullptr};
    }
    if (has_body) {
      if (request.expect_continue && !continue_sent) {
        continue_sent = true;
        if (!co_await send_continue(request.client, idle))
          co_return ExchangeResult{false, 0, Failure{FailureKind::client, FailureSource::downstream, false}, nullptr};
      }
      auto relayed = co_await relay_body(request.client, request.client_buffer, parser, connection->stream,
                                         *serializer, lease.data(), lease.size(), idle);  // made above
      if (relayed.status == RelayStatus::read_failed)
        co_return ExchangeResult{false, 0, Failure{FailureKind::client, FailureSource::downstream, false},
                                 nullptr, relayed.error};
      if (relayed.status == RelayStatus::write_failed) {
        report_outcome(*connection, false);
        co_return ExchangeResult{false, 0, upstream_failure(FailureKind::reset), nullptr};
      }
    }
    // request_ms counts from the moment the whole request was sent (as Envoy's route timeout does),
    // so a long upload is bounded by the idle timeout per read, not by the response deadline.
    const auto response_deadline = std::chrono::steady_clock::now() + milliseconds(timeouts.request_ms);
    bool got_bytes = false;
    // The response head, parsed flat as it arrives (inline, like the request head above).
    auto flat = FlatResponseHead::Result::incomplete;
    for (;;) {
      if (connection->buffer.size() != 0) {
        flat = connection->response_head.parse(buffered(*connection));
        if (flat != FlatResponseHead::Result::incomplete) break;
      }
      connection->stream.expires_at(response_deadline);
      auto [rec, n] = co_await connection->stream.async_read_some(connection->buffer.prepare(kHeadReadSize), nothrow);
      connection->buffer.commit(n);
      got_bytes = got_bytes || n > 0;
      if (rec) {
        ec = rec;
        break;
      }
    }
    if (!ec && flat == FlatResponseHead::Result::complete) {
      flat_head_size = compose_flat_response(request, connection->response_head, lease.data(), lease.size());
      if (flat_head_size) break;
    }
    // The slow path: Beast parses the head from the bytes already buffered (and reads the rest).
    if (!ec) ec = co_await read_response_head(*connection, response, request.head_request, response_deadline, got_bytes);
    if (!ec) break;
    if (is_peer_close(ec) && connection->reused && attempt == 0 && !has_body && !got_bytes) continue;
    report_outcome(*connection, false);
    if (ec == beast::error::timeout) co_return ExchangeResult{false, 0, upstream_failure(FailureKind::timeout), nullptr};
    co_return ExchangeResult{false, 0, upstream_failure(FailureKind::reset), nullptr};
  }

  if (flat_head_size)
    co_return co_await send_flat_response(worker, request, std::move(connection), lease.data(), flat_head_size,
                                          lease.size());
  auto& message = response->get();
  const unsigned status = message.result_int();
  report_outcome(*connection, status < 500);
  if (status == 101 && request.upgrade)
    co_return co_await switch_protocols(request, *response, std::move(connection), idle);
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
  if (wec) co_return ExchangeResult{false, status, Failure{FailureKind::client, FailureSource::downstream, false}, nullptr};

  if (!no_body) {
    auto relayed = co_await relay_body(connection->stream, connection->buffer, *response, request.client,
                                       serializer, lease.data(), lease.size(), idle);
    if (relayed.status == RelayStatus::read_failed) {
      auto kind = relayed.error == beast::error::timeout ? FailureKind::timeout : FailureKind::reset;
      co_return ExchangeResult{false, status, upstream_failure(kind), nullptr};
    }
    if (relayed.status == RelayStatus::write_failed)
      co_return ExchangeResult{false, status, Failure{FailureKind::client, FailureSource::downstream, false}, nullptr};
  }
  if (upstream_reusable && response->is_done()) worker.upstream_pool().put(std::move(connection));
  co_return ExchangeResult{client_keep_alive, status, {}, nullptr};
}

}  // namespace switchyard::proxy::net
