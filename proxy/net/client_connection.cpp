#include "proxy/net/client_connection.hpp"
#include "common/ascii_case.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <spdlog/spdlog.h>
#include <memory>
#include <string>

#include "proxy/net/client_stream.hpp"
#include "proxy/net/exchange.hpp"
#include "proxy/net/forwarding_headers.hpp"
#include "proxy/net/head_writer.hpp"
#include "proxy/net/listener_gate.hpp"
#include "proxy/net/local_reply.hpp"
#include "proxy/net/read_head.hpp"
#include "proxy/net/stream_errors.hpp"
#include "proxy/net/tls_context_store.hpp"
#include "proxy/net/tunnel.hpp"
#include "proxy/net/worker.hpp"
#include "proxy/routing/picker.hpp"
#include "proxy/stats/stats_registry.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

namespace {
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kCohortCookieMaxAge = 365 * 24 * 3600;
constexpr milliseconds kCloseTimeout{1000};  // for the TLS close_notify

std::string_view path_of(std::string_view full_target) {
  const std::string_view target = origin_form_of(full_target);  // absolute-form routes by its path
  auto query = target.find('?');
  return query == std::string_view::npos ? target : target.substr(0, query);
}

stats::UpstreamErrorKind upstream_error_of(FailureKind kind) {
  switch (kind) {
    case FailureKind::connect: return stats::UpstreamErrorKind::connect;
    case FailureKind::timeout: return stats::UpstreamErrorKind::timeout;
    case FailureKind::reset: return stats::UpstreamErrorKind::reset;
    default: return stats::UpstreamErrorKind::none;
  }
}

std::string cohort_cookie(std::string_view name, const char* id) {
  std::string value;
  value.reserve(name.size() + 80);
  value.append(name).append("=").append(id);
  value.append("; Path=/; Max-Age=").append(std::to_string(kCohortCookieMaxAge)).append("; HttpOnly; SameSite=Lax");
  return value;
}

}  // namespace

class ClientConnection {
 public:
  ClientConnection(Worker& worker, tcp::socket socket, std::shared_ptr<const TlsServerContext> tls)
      : worker_(worker), stream_(std::move(socket), std::move(tls)) {
    boost::system::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ip_ = remote.address().to_string();
    worker_.attach(this);
  }
  ~ClientConnection() { worker_.detach(this); }
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  asio::awaitable<void> serve();
  void close_if_idle() {
    // A connection that has not yet carried a request was just opened: its first request is
    // probably on the wire, and closing now would fail it on a fresh connection, which no
    // client retries. It is served once (with Connection: close) instead.
    if (!idle_ || served_ == 0) return;
    boost::system::error_code ignored;
    stream_.socket().close(ignored);
  }

 private:
  asio::awaitable<bool> serve_one(RequestParser& parser);
  // Counts one request against its version: status sent (0 = none), failure, time to last byte.
  void record(const routing::Version& version, unsigned status, FailureKind failure);
  asio::awaitable<bool> answer_failure(const RequestParser& parser, FailureKind kind, bool keep_alive);
  // A refused request (docs/hostile-input.md): answered, then the connection closes.
  asio::awaitable<void> refuse(const Verdict& verdict);
  milliseconds idle_timeout() const { return milliseconds(worker_.timeouts().idle_ms); }

  Worker& worker_;
  ClientStream stream_;
  beast::flat_buffer buffer_;
  std::string client_ip_;
  std::chrono::steady_clock::time_point request_started_{};
  std::shared_ptr<const routing::RouteTable> snapshot_;  // refreshed when a new one is published
  bool idle_ = true;
  std::uint64_t served_ = 0;  // requests read on this connection
  bool tunnelled_ = false;    // the connection ended as an upgrade tunnel
};

asio::awaitable<void> ClientConnection::serve() {
  if (auto ec = co_await stream_.handshake(milliseconds(worker_.limits().header_timeout_ms))) {
    count_tls_handshake_error();
    spdlog::debug("TLS handshake with {} failed: {}", client_ip_, ec.message());
    co_await stream_.close(idle_timeout());
    co_return;
  }
  for (;;) {
    if (worker_.draining() && served_ > 0) break;
    RequestParser parser;
    configure_request_parser(parser, worker_.limits());
    // The first read and a head that arrived whole are handled here; read_request_head (a
    // coroutine call, a frame allocation) only for a head that comes in pieces.
    std::optional<HeadRead> whole;
    if (buffer_.size() == 0) {
      idle_ = true;
      stream_.expires_after(idle_timeout());  // the stream's deadline closes a silent connection
      auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kHeadReadSize), nothrow);
      buffer_.commit(n);
      if (ec || n == 0) whole = HeadRead{};
      idle_ = false;
    }
    if (!whole) whole = head_in_buffer(buffer_, parser, worker_.limits());
    HeadRead head;
    if (whole) head = *whole;
    else head = co_await read_request_head(stream_, buffer_, parser, worker_.limits(), idle_timeout(), idle_);
    idle_ = false;
    ++served_;
    request_started_ = std::chrono::steady_clock::now();
    if (head.outcome == HeadRead::Outcome::closed) break;
    if (head.outcome == HeadRead::Outcome::refused) {
      co_await refuse(head.verdict);
      break;
    }
    if (!co_await serve_one(parser)) break;
  }
  co_await stream_.close(kCloseTimeout, tunnelled_);
}

asio::awaitable<bool> ClientConnection::serve_one(RequestParser& parser) {
  auto& request = parser.get();
  const bool keep_alive = request.keep_alive() && request.version() >= 11 && !worker_.draining();

  const auto& current = worker_.routes().get();
  if (current.get() != snapshot_.get()) snapshot_ = current;
  const routing::Route* route = snapshot_->match(request[http::field::host], path_of(request.target()));
  if (!route) co_return co_await answer_failure(parser, FailureKind::no_route, keep_alive);

  routing::RequestKeys keys;
  if (!route->override_header.empty()) keys.override_value = request[route->override_header];
  if (route->sticky.kind == config::StickyConfig::Kind::cookie)
    keys.sticky_value = routing::find_cookie(request[http::field::cookie], route->sticky.name);
  else if (route->sticky.kind == config::StickyConfig::Kind::header)
    keys.sticky_value = request[route->sticky.name];
  const routing::Pick pick = routing::pick_version(*route, keys, worker_.random());
  const routing::Version& version = route->versions[pick.version];
  if (version.upstream == routing::kNoUpstream) {
    record(version, failure_status(FailureKind::no_endpoint), FailureKind::no_endpoint);
    co_return co_await answer_failure(parser, FailureKind::no_endpoint, keep_alive);
  }
  const routing::Upstream& upstream = snapshot_->upstreams()[version.upstream];

  std::string set_cookie;
  if (pick.set_cookie()) set_cookie = cohort_cookie(route->sticky.name, pick.new_cohort_id);
  const bool expect_continue = ascii_iequals(request[http::field::expect], "100-continue");
  if (expect_continue) request.erase(http::field::expect);
  // Upgrade and Connection are hop-by-hop, but an upgrade is asked of the upstream on the
  // client's behalf: they are forwarded (and nothing else Connection names).
  std::string upgrade;
  if (has_token(request[http::field::connection], "upgrade")) upgrade = request[http::field::upgrade];
  const ForwardingEdits edits{client_ip_, stream_.is_tls() ? "https" : "http"};
  // The common case (no body, no upgrade) leaves the parsed fields alone: the exchange writes
  // the upstream head with these edits applied. Otherwise Beast's serializer sends the fields.
  const bool edit_while_writing = parser.is_done() && upgrade.empty();
  if (!edit_while_writing) {
    add_forwarded(request, edits.client_ip, edits.proto);
    remove_hop_by_hop(request);
    if (!upgrade.empty()) {
      request.set(http::field::connection, "upgrade");
      request.set(http::field::upgrade, upgrade);
    }
  }
  request.version(11);

  ExchangeRequest exchange{stream_, buffer_, parser, upstream, version.upstream, keep_alive,
                           request.method() == http::verb::head, expect_continue, set_cookie, !upgrade.empty(),
                           edit_while_writing ? &edits : nullptr};
  ExchangeResult result = co_await exchange_with_upstream(worker_, exchange);
  if (result.tunnel) {
    // Counted when the 101 was sent (its latency, not the tunnel's lifetime), as a non-error.
    record(version, result.status, FailureKind::none);
    co_await run_tunnel(stream_, buffer_, *result.tunnel, idle_timeout());
    tunnelled_ = true;
    co_return false;
  }
  if (result.request_error.category() == http::make_error_code(http::error::bad_chunk).category()) {
    // The body broke its framing (bad chunk, over max_body_bytes): the upstream connection is
    // already dropped; tell the client if nothing of a response went out yet, then close.
    if (result.status == 0) co_await refuse(verdict_of_parse_error(result.request_error));
    co_return false;
  }
  if (result.failure && result.status == 0 && failure_status(result.failure.kind) != 0) {
    bool keep = co_await answer_failure(parser, result.failure.kind, keep_alive);
    record(version, failure_status(result.failure.kind), result.failure.kind);
    co_return keep;
  }
  record(version, result.status, result.failure.kind);
  co_return result.client_keep_alive && !worker_.draining();
}

void ClientConnection::record(const routing::Version& version, unsigned status, FailureKind failure) {
  auto* shard = worker_.stats();
  if (!shard || version.stats_slot == routing::kNoStatsSlot) return;
  const auto now = std::chrono::steady_clock::now();
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - request_started_).count();
  shard->record(version.stats_slot, status, upstream_error_of(failure), static_cast<std::uint64_t>(elapsed),
                stats::steady_now_ms());
}

asio::awaitable<bool> ClientConnection::answer_failure(const RequestParser& parser, FailureKind kind, bool keep_alive) {
  // An unread request body would be taken for the next request: close instead of skipping it.
  keep_alive = keep_alive && parser.is_done();
  const char* text = "";
  switch (kind) {
    case FailureKind::no_route: text = "switchyard: no route matches this request"; break;
    case FailureKind::no_endpoint: text = "switchyard: no healthy endpoint for this version"; break;
    case FailureKind::overflow: text = "switchyard: upstream connection or request limit reached"; break;
    case FailureKind::connect: text = "switchyard: cannot connect to the upstream"; break;
    case FailureKind::reset: text = "switchyard: the upstream closed the connection"; break;
    case FailureKind::timeout: text = "switchyard: the upstream did not answer in time"; break;
    default: co_return false;
  }
  bool sent = co_await send_local_reply(stream_, failure_status(kind), failure_name(kind), text, keep_alive,
                                        idle_timeout());
  co_return sent && keep_alive;
}

asio::awaitable<void> ClientConnection::refuse(const Verdict& verdict) {
  co_await send_local_reply(stream_, verdict.status, verdict.name, verdict.text, false, idle_timeout());
}

asio::awaitable<void> serve_client(Worker& worker, tcp::socket socket, std::shared_ptr<const TlsServerContext> tls,
                                   ListenerGate* gate) {
  GateSlot slot(gate);
  ClientConnection connection(worker, std::move(socket), std::move(tls));
  co_await connection.serve();
}

void close_if_idle(ClientConnection& connection) { connection.close_if_idle(); }

}  // namespace switchyard::proxy::net
