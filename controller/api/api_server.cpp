#include "controller/api/api_server.hpp"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <openssl/crypto.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "controller/api/api_handlers.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace switchyard::controller::api {

struct ApiServer::Impl {
  Impl(asio::io_context& ioc, engine::RolloutEngine& engine)
      : ioc(ioc), pool(2), context{engine, pool, nullptr, {}, nullptr}, acceptor(ioc) {}
  asio::io_context& ioc;
  BlockingPool pool;
  ApiContext context;
  std::string token;  // empty: none required
  tcp::acceptor acceptor;
  bool stopped = false;
  std::map<std::uint64_t, beast::tcp_stream*> sessions;  // open connections, for stop()
  std::uint64_t next_session = 0;
};

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kBodyLimit = 1024 * 1024;
constexpr auto kIdleTimeout = std::chrono::seconds(30);

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() + 0 && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (!pair.empty()) {
      out[percent_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// Constant time over the token's length: the comparison does not leak how much matched.
bool accepts(const std::string& token, std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() != kScheme.size() + token.size()) return false;
  if (!std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return false;
  }
  return CRYPTO_memcmp(authorization.data() + kScheme.size(), token.data(), token.size()) == 0;
}

std::string read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("controller.token_file '" + path + "': cannot read it");
  std::stringstream text;
  text << in.rdbuf();
  auto token = text.str();
  const auto first = token.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw std::runtime_error("controller.token_file '" + path + "': empty");
  const auto last = token.find_last_not_of(" \t\r\n");
  return token.substr(first, last - first + 1);
}

asio::awaitable<ApiResponse> answer(ApiServer::Impl& impl, const http::request<http::string_body>& request,
                                    const std::string& peer) {
  ApiRequest api;
  api.method = std::string(request.method_string());
  const std::string_view target = request.target();
  const auto question = target.find('?');
  api.path = percent_decode(target.substr(0, question));
  if (question != std::string_view::npos) api.query = parse_query(target.substr(question + 1));
  api.body = request.body();
  api.actor = std::string(request["X-Switchyard-Actor"]).substr(0, 128);
  if (api.actor.empty()) api.actor = peer.empty() ? "api" : "api@" + peer;
  const bool needs_token = api.path == "/v1" || api.path.starts_with("/v1/");
  if (!impl.token.empty() && needs_token && !accepts(impl.token, request[http::field::authorization])) {
    co_return error_response(401, "missing or invalid bearer token");
  }
  co_return co_await handle(impl.context, api);
}

asio::awaitable<void> run_session(std::shared_ptr<ApiServer::Impl> impl, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  const auto id = impl->next_session++;
  impl->sessions.emplace(id, &stream);
  beast::flat_buffer buffer;
  boost::system::error_code peer_ec;
  const auto remote = stream.socket().remote_endpoint(peer_ec);
  const std::string peer = peer_ec ? std::string() : remote.address().to_string();
  while (!impl->stopped) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    stream.expires_after(kIdleTimeout);
    auto [ec, unused] = co_await http::async_read(stream, buffer, parser, kUseTuple);
    if (ec || impl->stopped) break;
    auto request = parser.release();
    auto answered = co_await answer(*impl, request, peer);
    if (impl->stopped) break;
    http::response<http::string_body> response{static_cast<http::status>(answered.status), request.version()};
    response.set(http::field::server, "switchyard-controller");
    response.set(http::field::content_type, answered.content_type);
    for (const auto& [name, value] : answered.headers) response.set(name, value);
    response.body() = std::move(answered.body);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    stream.expires_after(kIdleTimeout);
    std::tie(ec, unused) = co_await http::async_write(stream, response, kUseTuple);
    if (ec || !request.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  impl->sessions.erase(id);
}

asio::awaitable<void> accept_loop(std::shared_ptr<ApiServer::Impl> impl) {
  asio::steady_timer backoff(impl->ioc);
  while (!impl->stopped) {
    auto [ec, socket] = co_await impl->acceptor.async_accept(kUseTuple);
    if (impl->stopped || ec == asio::error::operation_aborted) break;
    if (ec) {
      spdlog::warn("api: accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    asio::co_spawn(impl->ioc, run_session(impl, std::move(socket)), asio::detached);
  }
}

}  // namespace

ApiServer::ApiServer(asio::io_context& control, engine::RolloutEngine& engine)
    : impl_(std::make_shared<Impl>(control, engine)) {}

ApiServer::~ApiServer() { stop(); }

void ApiServer::set_notifier(const engine::Notifier* notifier) { impl_->context.notifier = notifier; }
void ApiServer::set_sampler(const dashboard::StatsSampler* sampler) { impl_->context.sampler = sampler; }
void ApiServer::set_secrets(SecretsContext secrets) { impl_->context.secrets = std::move(secrets); }

std::string ApiServer::start() {
  const auto& settings = impl_->context.engine.config().controller;
  if (!settings.token_file.empty()) impl_->token = read_token(settings.token_file);
  const auto wanted = settings.listen.to_string();
  beast::error_code ec;
  const auto address = asio::ip::make_address(settings.listen.host, ec);
  if (ec) throw std::runtime_error("controller.listen: bad address " + wanted + ": " + ec.message());
  const tcp::endpoint endpoint(address, settings.listen.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("controller.listen: cannot listen on " + wanted + ": " + ec.message());
  const auto local = acceptor.local_endpoint();
  const auto host = local.address().to_string();
  const auto bound = (local.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(local.port());
  asio::co_spawn(impl_->ioc, accept_loop(impl_), asio::detached);
  spdlog::info("controller API on {}{}", bound, impl_->token.empty() ? "" : " (bearer token required)");
  return bound;
}

void ApiServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  const auto sessions = impl_->sessions;
  for (const auto& [id, stream] : sessions) stream->close();
}

}  // namespace switchyard::controller::api
