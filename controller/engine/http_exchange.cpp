#include "controller/engine/http_exchange.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace switchyard::controller::engine {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct ParsedUrl {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

std::optional<ParsedUrl> parse_url(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  const auto rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  ParsedUrl out;
  const auto authority = rest.substr(0, slash);
  if (slash != std::string::npos) out.target = rest.substr(slash);
  const auto colon = authority.rfind(':');
  out.host = authority.substr(0, colon);
  if (colon != std::string::npos) out.port = authority.substr(colon + 1);
  if (out.host.empty() || out.port.empty()) return std::nullopt;
  return out;
}

// The exchange as a chain of handlers on `ioc`; `done` is set when the chain ends.
class Exchange {
 public:
  Exchange(asio::io_context& ioc, const HttpExchangeRequest& request, const ParsedUrl& url)
      : resolver_(ioc), stream_(ioc), request_(request), url_(url) {
    parser_.body_limit(request.body_limit);
  }

  void start() {
    resolver_.async_resolve(url_.host, url_.port, [this](beast::error_code ec, tcp::resolver::results_type found) {
      if (ec) return fail(ec);
      stream_.async_connect(found, [this](beast::error_code ec2, const tcp::endpoint&) {
        if (ec2) return fail(ec2);
        write();
      });
    });
  }

  void cancel() {
    resolver_.cancel();
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }

  bool done = false;
  HttpExchangeResult result;

 private:
  void write() {
    message_.method_string(request_.method);
    message_.target(url_.target);
    message_.version(11);
    message_.set(http::field::host, url_.host + ":" + url_.port);
    message_.set(http::field::connection, "close");
    message_.set(http::field::user_agent, "switchyard-controller");
    if (!request_.body.empty()) message_.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : request_.headers) message_.set(name, value);
    message_.body() = request_.body;
    message_.prepare_payload();
    http::async_write(stream_, message_, [this](beast::error_code ec, std::size_t) {
      if (ec) return fail(ec);
      http::async_read(stream_, buffer_, parser_, [this](beast::error_code ec2, std::size_t) {
        if (ec2) return fail(ec2);
        result.status = static_cast<int>(parser_.get().result_int());
        result.body = std::move(parser_.get().body());
        done = true;
      });
    });
  }

  void fail(beast::error_code ec) {
    if (result.error.empty()) result.error = ec.message();
    done = true;
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> message_;
  http::response_parser<http::string_body> parser_;
  const HttpExchangeRequest& request_;
  ParsedUrl url_;
};

}  // namespace

HttpExchangeResult http_exchange(const HttpExchangeRequest& request) {
  const auto url = parse_url(request.url);
  if (!url) return {0, "", "url '" + request.url + "' must start with http:// and name a host", false};
  asio::io_context ioc;
  Exchange exchange(ioc, request, *url);
  exchange.start();
  ioc.run_for(request.timeout);
  if (!exchange.done) {
    // Deadline passed: abort what is pending and let its handlers finish here.
    exchange.cancel();
    ioc.restart();
    ioc.run();
    HttpExchangeResult late;
    late.timed_out = true;
    late.error = "timed out after " + std::to_string(request.timeout.count()) + " ms";
    return late;
  }
  ioc.run();  // nothing pending: returns at once
  return exchange.result;
}

}  // namespace switchyard::controller::engine
