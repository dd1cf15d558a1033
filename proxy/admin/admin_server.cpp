#include "proxy/admin/admin_server.hpp"
#include "common/ascii_case.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "proxy/admin/admin_auth.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"
#include "proxy/admin/router.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace switchyard::proxy::admin {

struct AdminServer::Impl {
  Impl(asio::io_context& ioc, ControlState& state, config::AdminConfig cfg,
       AdminServerLimits limits)
      : ioc(ioc), cfg(std::move(cfg)), limits(limits), router(handler_table()),
        context{state}, acceptor(ioc) {}

  asio::io_context& ioc;
  config::AdminConfig cfg;
  AdminServerLimits limits;
  Router router;
  AdminContext context;
  std::optional<BearerToken> token;
  tcp::acceptor acceptor;
  bool stopped = false;
  // Open connections, so that stop() can close them. Touched only on the control thread.
  std::map<std::uint64_t, beast::tcp_stream*> sessions;
  std::uint64_t next_session = 0;
  // Long polls waiting for an event (GET /v1/events?wait_ms=): a recorded event or stop()
  // cancels their timers. Touched only on the control thread.
  std::map<std::uint64_t, asio::steady_timer*> waits;
  std::uint64_t next_wait = 0;
};

namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Keeps a connection in Impl::sessions for as long as its coroutine runs.
class SessionRegistration {
 public:
  SessionRegistration(AdminServer::Impl& impl, beast::tcp_stream& stream)
      : impl_(impl), id_(impl.next_session++) {
    impl_.sessions.emplace(id_, &stream);
  }
  ~SessionRegistration() { impl_.sessions.erase(id_); }
  SessionRegistration(const SessionRegistration&) = delete;
  SessionRegistration& operator=(const SessionRegistration&) = delete;

 private:
  AdminServer::Impl& impl_;
  std::uint64_t id_;
};

bool needs_token(std::string_view path) { return path == "/v1" || path.starts_with("/v1/"); }

// Runs the handler with the caller named as the origin of any change it makes.
AdminResponse run_handler(AdminServer::Impl& impl, const AdminRequest& request) {
  impl.context.state.set_origin("admin API " + request.remote);
  auto response = dispatch(impl.router, impl.context, request);
  impl.context.state.set_origin({});
  return response;
}

// Suspends until an event is recorded, `deadline` passes or the server stops.
asio::awaitable<void> wait_for_event(AdminServer::Impl& impl,
                                     std::chrono::steady_clock::time_point deadline) {
  asio::steady_timer timer(impl.ioc, deadline);
  const auto id = impl.next_wait++;
  impl.waits.emplace(id, &timer);
  struct Deregister {
    AdminServer::Impl& impl;
    std::uint64_t id;
    ~Deregister() { impl.waits.erase(id); }
  } deregister{impl, id};
  co_await timer.async_wait(kUseTuple);
}

asio::awaitable<AdminResponse> answer(AdminServer::Impl& impl, const Request& request,
                                      const std::string& remote) {
  AdminRequest admin_request;
  admin_request.method = std::string(request.method_string());
  const std::string_view target = request.target();
  const auto question = target.find('?');
  admin_request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) admin_request.query = target.substr(question + 1);
  if (impl.token && needs_token(admin_request.path) &&
      !impl.token->accepts(request[http::field::authorization])) {
    co_return error_response(401, "missing or invalid bearer token");
  }
  admin_request.body = request.body();
  admin_request.remote = remote;
  auto response = run_handler(impl, admin_request);
  // A handler with nothing to say yet (a long poll) is re-run after each event until it answers;
  // it keeps the deadline it chose the first time.
  while (response.wait_until && !impl.stopped) {
    co_await wait_for_event(impl, *response.wait_until);
    if (impl.stopped) break;
    admin_request.wait_deadline = response.wait_until;
    response = run_handler(impl, admin_request);
  }
  co_return response;
}

Response to_http(const AdminResponse& answer, unsigned version, bool keep_alive) {
  Response response{static_cast<http::status>(answer.status), version};
  response.set(http::field::server, "switchyard-admin");
  response.set(http::field::content_type, answer.content_type);
  for (const auto& [name, value] : answer.headers) response.set(name, value);
  response.body() = answer.body;
  response.keep_alive(keep_alive);
  response.prepare_payload();
  return response;
}

// A malformed or oversized request head (not a peer that simply went away).
bool is_protocol_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// Answers a refused request and closes. Lingering close: after our answer, read and discard
// what the client is still sending (bounded in time and size), so that closing with unread data
// does not reset the connection before the client has read the answer.
asio::awaitable<void> write_and_close(beast::tcp_stream& stream, int status, std::string what,
                                      std::chrono::milliseconds timeout) {
  auto response = to_http(error_response(status, what), 11, false);
  stream.expires_after(timeout);
  auto [ec, unused] = co_await http::async_write(stream, response, kUseTuple);
  if (ec) co_return;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  constexpr std::size_t kDrainLimit = 8 * 1024 * 1024;
  stream.expires_after(std::chrono::seconds(1));
  std::array<char, 16 * 1024> sink;
  for (std::size_t drained = 0; drained < kDrainLimit;) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
    if (read_ec) break;
    drained += n;
  }
}

// Reads one request with the configured limits. Empty on a closed, timed-out or refused
// connection (a refusal has already been answered).
asio::awaitable<std::optional<Request>> read_request(AdminServer::Impl& impl,
                                                     beast::tcp_stream& stream,
                                                     beast::flat_buffer& buffer) {
  http::request_parser<http::string_body> parser;  // fresh per message: limits reset
  parser.header_limit(static_cast<std::uint32_t>(impl.limits.header_limit));
  parser.body_limit(impl.limits.body_limit);
  stream.expires_after(impl.limits.header_timeout);
  auto [ec, unused] = co_await http::async_read_header(stream, buffer, parser, kUseTuple);
  if (!ec && !parser.is_done()) {
    if (ascii_iequals(parser.get()[http::field::expect], "100-continue")) {
      // curl asks first for bodies over 1 KiB and would otherwise wait a second.
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      stream.expires_after(impl.limits.write_timeout);
      std::tie(ec, unused) = co_await http::async_write(stream, go_on, kUseTuple);
    }
  }
  if (!ec && !parser.is_done()) {
    stream.expires_after(impl.limits.body_timeout);
    std::tie(ec, unused) = co_await http::async_read(stream, buffer, parser, kUseTuple);
  }
  if (ec == http::error::body_limit) {
    co_await write_and_close(stream, 413, "request body larger than " +
                             std::to_string(impl.limits.body_limit) + " bytes",
                             impl.limits.write_timeout);
    co_return std::nullopt;
  }
  if (ec) {
    // A malformed or oversized head gets a reason; a vanished peer or a timeout gets nothing.
    if (is_protocol_error(ec)) {
      co_await write_and_close(stream, 400, "bad request: " + ec.message(),
                               impl.limits.write_timeout);
    }
    co_return std::nullopt;
  }
  co_return parser.release();
}

std::string endpoint_text(const tcp::endpoint& endpoint);

asio::awaitable<void> run_session(std::shared_ptr<AdminServer::Impl> impl, tcp::socket socket) {
  beast::error_code remote_ec;
  const auto peer = socket.remote_endpoint(remote_ec);
  const std::string remote = remote_ec ? std::string("?") : endpoint_text(peer);
  beast::tcp_stream stream(std::move(socket));
  SessionRegistration registration(*impl, stream);
  beast::flat_buffer buffer;
  while (!impl->stopped) {
    auto request = co_await read_request(*impl, stream, buffer);
    if (!request || impl->stopped) break;
    const bool keep_alive = request->keep_alive();
    auto answered = co_await answer(*impl, *request, remote);
    if (impl->stopped) break;
    auto response = to_http(answered, request->version(), keep_alive);
    stream.expires_after(impl->limits.write_timeout);
    auto [ec, unused] = co_await http::async_write(stream, response, kUseTuple);
    if (ec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<AdminServer::Impl> impl) {
  asio::steady_timer backoff(impl->ioc);
  while (!impl->stopped) {
    auto [ec, socket] = co_await impl->acceptor.async_accept(kUseTuple);
    if (impl->stopped || ec == asio::error::operation_aborted) break;
    if (ec) {
      // E.g. out of file descriptors: wait a little instead of spinning.
      spdlog::warn("admin: accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    asio::co_spawn(impl->ioc, run_session(impl, std::move(socket)), asio::detached);
  }
}

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address().to_string();
  const auto port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

}  // namespace

AdminServer::AdminServer(asio::io_context& control_ioc, ControlState& state,
                         const config::AdminConfig& cfg, AdminServerLimits limits)
    : impl_(std::make_shared<Impl>(control_ioc, state, cfg, limits)) {}

AdminServer::~AdminServer() { stop(); }

AdminContext& AdminServer::context() { return impl_->context; }

std::string AdminServer::start() {
  if (!impl_->cfg.token_file.empty()) {
    std::string error;
    impl_->token = BearerToken::load(impl_->cfg.token_file, error);
    if (!impl_->token) throw std::runtime_error(error);
  }
  const auto wanted = impl_->cfg.address.host + ":" + std::to_string(impl_->cfg.address.port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->cfg.address.host, ec);
  if (ec) throw std::runtime_error("admin: bad address " + wanted + ": " + ec.message());
  const tcp::endpoint endpoint(address, impl_->cfg.address.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    throw std::runtime_error("admin: cannot listen on " + wanted + ": " + ec.message());
  }
  const auto bound = endpoint_text(acceptor.local_endpoint());
  // Wakes the long polls; removed in stop(), before the server (and its Impl) can go away.
  impl_->context.state.events().set_on_record([impl = impl_.get()] {
    for (const auto& [id, timer] : impl->waits) timer->cancel();
  });
  asio::co_spawn(impl_->ioc, accept_loop(impl_), asio::detached);
  spdlog::info("admin API listening on {}{}", bound, impl_->token ? " (bearer token required)" : "");
  return bound;
}

std::size_t AdminServer::long_polls_waiting() const { return impl_->waits.size(); }

void AdminServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  // Closing cancels each session's pending read or write; its coroutine then ends and
  // deregisters itself, so iterate over a copy.
  const auto sessions = impl_->sessions;
  for (const auto& [id, stream] : sessions) stream->close();
  impl_->context.state.events().set_on_record({});
  for (const auto& [id, timer] : impl_->waits) timer->cancel();
}

}  // namespace switchyard::proxy::admin
