#include "controller/cli/http_call.hpp"

#include <unistd.h>

#include <cstdlib>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace switchyard::controller::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBodyLimit = 64 * 1024 * 1024;

// Who is calling, for the controller's audit records: $SWITCHYARD_ACTOR, else $USER@host.
std::string cli_actor() {
  if (const char* actor = std::getenv("SWITCHYARD_ACTOR"); actor && *actor) return actor;
  const char* user = std::getenv("USER");
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(user && *user ? user : "unknown") + "@" + (host[0] ? host : "localhost");
}

// One exchange: each phase runs on the private io_context until it completes or the shared
// deadline passes; on the deadline the socket and resolver are cancelled and drained.
class Exchange {
 public:
  explicit Exchange(Clock::time_point deadline) : deadline_(deadline) {}

  HttpCallResult run(const ControllerUrl& url, const HttpCallRequest& request) {
    HttpCallResult result;
    tcp::resolver::results_type endpoints;
    beast::error_code ec = phase([&](auto done) {
      resolver_.async_resolve(url.host, url.port,
                              [&endpoints, done](beast::error_code e, auto results) {
                                endpoints = std::move(results);
                                done(e);
                              });
    });
    if (!ec) ec = phase([&](auto done) {
      stream_.async_connect(endpoints, [done](beast::error_code e, const auto&) { done(e); });
    });
    http::request<http::string_body> message = make_message(url, request);
    if (!ec) ec = phase([&](auto done) {
      http::async_write(stream_, message, [done](beast::error_code e, std::size_t) { done(e); });
    });
    http::response_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    if (!ec) ec = phase([&](auto done) {
      http::async_read(stream_, buffer_, parser, [done](beast::error_code e, std::size_t) { done(e); });
    });
    beast::error_code ignored;
    stream_.socket().close(ignored);
    if (ec) {
      result.error = timed_out_ ? "timed out after " + std::to_string(timeout_ms(request)) + " ms"
                                : ec.message();
      return result;
    }
    result.status = static_cast<int>(parser.get().result_int());
    result.body = std::move(parser.get().body());
    return result;
  }

 private:
  static long long timeout_ms(const HttpCallRequest& request) { return request.timeout.count(); }

  static http::request<http::string_body> make_message(const ControllerUrl& url,
                                                       const HttpCallRequest& request) {
    http::request<http::string_body> message;
    message.method_string(request.method);
    message.target(url.prefix + request.target);
    message.version(11);
    const bool v6 = url.host.find(':') != std::string::npos;
    message.set(http::field::host, (v6 ? "[" + url.host + "]" : url.host) + ":" + url.port);
    message.set(http::field::user_agent, "switchyard-cli");
    message.set(http::field::accept, "application/json");
    message.set(http::field::connection, "close");
    if (!request.token.empty()) message.set(http::field::authorization, "Bearer " + request.token);
    message.set("X-Switchyard-Actor", cli_actor());
    if (!request.body.empty()) message.set(http::field::content_type, "application/json");
    message.body() = request.body;
    message.prepare_payload();
    return message;
  }

  // Starts one operation via `start(done)` and runs the io_context until `done` is called or
  // the deadline passes (then cancels everything and waits for the cancellation to land).
  template <class Start>
  beast::error_code phase(Start&& start) {
    std::optional<beast::error_code> outcome;
    auto done = [&outcome](beast::error_code ec) { outcome = ec; };
    start(done);
    io_.restart();
    const auto now = Clock::now();
    if (now < deadline_) io_.run_for(deadline_ - now);
    if (!outcome) {
      timed_out_ = true;
      resolver_.cancel();
      beast::error_code ignored;
      stream_.socket().cancel(ignored);
      stream_.socket().close(ignored);
      io_.restart();
      io_.run();  // the cancelled operation completes at once with operation_aborted
      return asio::error::timed_out;
    }
    return *outcome;
  }

  Clock::time_point deadline_;
  asio::io_context io_;
  tcp::resolver resolver_{io_};
  beast::tcp_stream stream_{io_};
  beast::flat_buffer buffer_;
  bool timed_out_ = false;
};

}  // namespace

HttpCallResult http_call(const ControllerUrl& url, const HttpCallRequest& request) {
  try {
    Exchange exchange(Clock::now() + request.timeout);
    return exchange.run(url, request);
  } catch (const std::exception& error) {  // allocation failures, bad method strings
    HttpCallResult result;
    result.error = error.what();
    return result;
  }
}

}  // namespace switchyard::controller::cli
