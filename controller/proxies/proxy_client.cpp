// ProxyClient transport: one keep-alive Beast connection driven on a private io_context.
// The typed admin calls are in proxy_calls.cpp.
#include "controller/proxies/proxy_client.hpp"

#include <fstream>
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace switchyard::controller::proxies {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string trimmed(std::string text) {
  const auto end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  const auto start = text.find_first_not_of(" \t\r\n");
  return start == std::string::npos ? std::string{} : text.substr(start);
}

// The `error` member of an {"error": "..."} answer, or the body itself, shortened.
std::string answer_message(const AdminResult& result) {
  if (result.json.is_object()) {
    const auto* error = result.json.get_object().if_contains("error");
    if (error != nullptr && error->is_string()) return std::string(error->get_string());
  }
  return result.body.substr(0, 200);
}

}  // namespace

struct ProxyClient::Impl {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool connected = false;
  int connects = 0;

  // Runs one asynchronous operation to completion on the private io_context.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  void close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    connected = false;
  }

  beast::error_code connect(const config::HostPort& address) {
    tcp::resolver resolver(io);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(address.host, std::to_string(address.port),
                                            tcp::resolver::numeric_service, ec);
    if (ec) return ec;
    ec = run([&](auto handler) { stream.async_connect(endpoints, std::move(handler)); });
    if (ec) return ec;
    stream.socket().set_option(tcp::no_delay(true), ec);
    connected = true;
    ++connects;
    return {};
  }

  // One exchange on the current connection. `answered` tells whether any answer byte arrived
  // (then a retry would not be safe to assume harmless).
  beast::error_code exchange(http::request<http::string_body>& request, std::size_t body_limit,
                             http::response<http::string_body>& response, bool& answered) {
    answered = false;
    auto ec = run([&](auto handler) { http::async_write(stream, request, std::move(handler)); });
    if (ec) return ec;
    http::response_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    ec = run([&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
    answered = parser.got_some();
    if (ec) return ec;
    response = parser.release();
    return {};
  }
};

ProxyClient::ProxyClient(config::ProxyTarget target, ProxyClientOptions options)
    : target_(std::move(target)),
      options_(options),
      name_(target_.admin.to_string()),
      impl_(std::make_unique<Impl>()) {
  reload_token();
}

ProxyClient::~ProxyClient() = default;

int ProxyClient::connects() const { return impl_->connects; }

void ProxyClient::reload_token() {
  token_.clear();
  token_error_.clear();
  if (target_.token_file.empty()) return;
  std::ifstream in(target_.token_file);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  token_ = trimmed(text.str());
  if (!in || token_.empty()) token_error_ = "token file " + target_.token_file + ": cannot read a token";
}

AdminResult ProxyClient::request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 std::optional<std::chrono::milliseconds> timeout) {
  AdminResult result;
  const std::string what = "proxy " + name_ + ": " + method + " " + target + ": ";
  if (!token_error_.empty()) {
    result.error = what + token_error_;
    return result;
  }
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, name_);
  request.set(http::field::user_agent, "switchyard-controller");
  request.keep_alive(true);
  if (!token_.empty()) request.set(http::field::authorization, "Bearer " + token_);
  if (!body.empty() || method == "PUT" || method == "POST") {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();

  const auto limit = timeout.value_or(options_.timeout);
  impl_->stream.expires_at(Clock::now() + limit);  // one deadline for the whole call
  http::response<http::string_body> response;
  beast::error_code ec;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = impl_->connected;
    if (!impl_->connected) ec = impl_->connect(target_.admin);
    bool answered = false;
    if (!ec) ec = impl_->exchange(request, options_.body_limit, response, answered);
    if (!ec) break;
    impl_->close();
    // An idle keep-alive connection the proxy closed: retry once, on a fresh one.
    if (!(reused && !answered && ec != beast::error::timeout)) break;
  }
  if (ec) {
    result.error = what + (ec == beast::error::timeout
                               ? "timed out after " + std::to_string(limit.count()) + " ms"
                               : ec.message());
    return result;
  }
  if (!response.keep_alive()) impl_->close();
  impl_->stream.expires_never();
  result.status = static_cast<int>(response.result_int());
  result.body = std::move(response.body());
  boost::system::error_code json_ec;
  result.json = boost::json::parse(result.body, json_ec);
  if (json_ec) result.json = nullptr;
  result.ok = result.status >= 200 && result.status < 300;
  if (!result.ok) result.error = what + std::to_string(result.status) + ": " + answer_message(result);
  return result;
}

}  // namespace switchyard::controller::proxies
