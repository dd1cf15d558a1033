#pragma once
// A tiny keep-alive HTTP/1.1 client for the admin tests. Every exchange runs on the client's own
// io_context with a deadline (run_for), so a hung server fails the test instead of hanging it.
// Test thread only.

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace switchyard::proxy::admin::test_support {

struct HttpAnswer {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string{} : found->second;
  }
};

class TestHttpClient {
 public:
  explicit TestHttpClient(const std::string& host_port,
                          std::chrono::milliseconds timeout = std::chrono::seconds(5))
      : socket_(ioc_), timeout_(timeout) {
    const auto colon = host_port.rfind(':');
    boost::asio::ip::tcp::resolver resolver(ioc_);
    boost::asio::connect(socket_,
                         resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1)));
  }

  HttpAnswer request(const std::string& method, const std::string& target,
                     const std::string& body = {},
                     const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "admin");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    if (!body.empty() || method == "PUT" || method == "POST") req.prepare_payload();
    boost::system::error_code write_ec;
    http::async_write(socket_, req, [&](auto ec, auto) { write_ec = ec; });
    run("write");
    if (write_ec) throw std::runtime_error("write: " + write_ec.message());
    return read_answer();
  }

  // Sends raw bytes (for requests the Beast serializer would not produce), then reads an answer.
  HttpAnswer raw(const std::string& bytes) {
    boost::system::error_code write_ec;
    boost::asio::async_write(socket_, boost::asio::buffer(bytes),
                             [&](auto ec, auto) { write_ec = ec; });
    run("write");
    if (write_ec) throw std::runtime_error("write: " + write_ec.message());
    return read_answer();
  }

  // True when the server closes the connection (EOF or reset) before the deadline.
  bool closed_by_peer() {
    char byte = 0;
    boost::system::error_code read_ec;
    bool done = false;
    socket_.async_read_some(boost::asio::buffer(&byte, 1), [&](auto ec, auto) {
      read_ec = ec;
      done = true;
    });
    ioc_.restart();
    ioc_.run_for(timeout_);
    if (!done) {
      socket_.cancel();
      ioc_.restart();
      ioc_.run();
      return false;
    }
    return static_cast<bool>(read_ec);
  }

 private:
  HttpAnswer read_answer() {
    namespace http = boost::beast::http;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code read_ec;
    http::async_read(socket_, buffer_, parser, [&](auto ec, auto) { read_ec = ec; });
    run("read");
    if (read_ec) throw std::runtime_error("read: " + read_ec.message());
    const auto& res = parser.get();
    HttpAnswer answer;
    answer.status = res.result_int();
    answer.body = res.body();
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      answer.headers[name] = std::string(field.value());
    }
    return answer;
  }

  void run(const char* what) {
    ioc_.restart();
    ioc_.run_for(timeout_);
    if (!ioc_.stopped()) {
      socket_.close();
      ioc_.restart();
      ioc_.run();
      throw std::runtime_error(std::string(what) + ": timed out");
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::chrono::milliseconds timeout_;
};

}  // namespace switchyard::proxy::admin::test_support
