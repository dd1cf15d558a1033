#include "tests/support/http_client.hpp"
#include "common/ascii_case.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <limits>
#include <optional>

namespace switchyard::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::uint64_t kKeptBodyLimit = 256ull << 20;  // request(): bodies kept in memory

// 'a'..'z' repeated, 26 bytes longer than a chunk so that a chunk can start at any phase.
const char* pattern() {
  static const std::string text = [] {
    std::string s(kChunk + 26, '\0');
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = pattern_byte(i);
    return s;
  }();
  return text.data();
}

std::map<std::string, std::string> header_map(const http::fields& fields) {
  std::map<std::string, std::string> result;
  for (const auto& field : fields) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = result.emplace(name, field.value());
    if (!inserted) it->second.append(", ").append(field.value());
  }
  return result;
}

// Errors that mean the peer had closed a pooled connection before we used it.
bool is_stale_connection(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

template <class Result>
struct Attempt {
  Result result;
  bool stale = false;  // failed before any response byte, in a way a fresh connection may fix
};

template <class Body>
http::request<Body> make_request(std::string_view method, std::string_view target,
                                 const std::string& host, const HttpHeaders& headers) {
  http::request<Body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, host);
  // A caller's Host replaces the default one; every other header is added as given.
  for (const auto& [name, value] : headers) {
    if (switchyard::ascii_iequals(name, "host")) request.set(http::field::host, value);
    else request.insert(name, value);
  }
  return request;
}
}  // namespace

struct HttpClient::Impl {
  Impl(std::string h, std::uint16_t p, std::chrono::milliseconds t)
      : host(std::move(h)), port(p), timeout(t) {
    buffer.reserve(kChunk);  // Beast reads at most the spare capacity: keep body reads large
  }

  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  asio::io_context context{1};
  beast::tcp_stream stream{context};
  beast::flat_buffer buffer;
  bool is_connected = false;
  int connect_count = 0;

  // Runs one coroutine to completion on this thread (the client is blocking by design).
  template <class Result>
  Attempt<Result> run(asio::awaitable<Attempt<Result>> work) {
    std::optional<Attempt<Result>> out;
    asio::co_spawn(context, std::move(work), [&](std::exception_ptr error, Attempt<Result> r) {
      out = std::move(r);
      if (error) out->result.error = "exception in HTTP client";
    });
    context.restart();
    context.run();
    return std::move(*out);
  }

  void close() {
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();  // keeps the capacity
    is_connected = false;
  }

  asio::awaitable<error_code> ensure_connected() {
    if (is_connected) co_return error_code{};
    tcp::resolver resolver(context);
    auto [ec, endpoints] = co_await resolver.async_resolve(host, std::to_string(port), kNoThrow);
    if (ec) co_return ec;
    stream.expires_after(timeout);
    std::tie(ec, std::ignore) = co_await stream.async_connect(endpoints, kNoThrow);
    if (ec) co_return ec;
    stream.socket().set_option(tcp::no_delay(true), ec);
    is_connected = true;
    ++connect_count;
    co_return error_code{};
  }

  // Sends `request`'s header and then `bytes` pattern bytes (chunked if the request says so).
  asio::awaitable<error_code> write_generated(http::request<http::empty_body>& request,
                                              std::uint64_t bytes) {
    http::request_serializer<http::empty_body> serializer{request};
    auto [ec, n] = co_await http::async_write_header(stream, serializer, kNoThrow);
    bool chunked = request.chunked();
    for (std::uint64_t sent = 0; !ec && sent < bytes;) {
      std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, bytes - sent));
      auto piece = asio::buffer(pattern() + sent % 26, size);
      if (chunked) std::tie(ec, n) = co_await asio::async_write(stream, http::make_chunk(piece), kNoThrow);
      else std::tie(ec, n) = co_await asio::async_write(stream, piece, kNoThrow);
      sent += size;
    }
    if (!ec && chunked) std::tie(ec, n) = co_await asio::async_write(stream, http::make_chunk_last(), kNoThrow);
    co_return ec;
  }

  // Reads a response into a string body; shared by request() and upload().
  asio::awaitable<Attempt<HttpResponse>> read_response(bool head, error_code write_error) {
    Attempt<HttpResponse> attempt;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kKeptBodyLimit);
    parser.header_limit(1 << 20);
    if (head) parser.skip(true);
    error_code ec = write_error;
    if (!ec) std::tie(ec, std::ignore) = co_await http::async_read(stream, buffer, parser, kNoThrow);
    if (ec) co_return fail(attempt, ec, parser.is_header_done());
    auto& message = parser.get();
    attempt.result.status = static_cast<int>(message.result_int());
    attempt.result.headers = header_map(message.base());
    attempt.result.body = std::move(message.body());
    if (!message.keep_alive()) close();
    co_return attempt;
  }

  template <class Result>
  Attempt<Result> fail(Attempt<Result>& attempt, const error_code& ec, bool got_header) {
    attempt.result.error = ec.message();
    attempt.stale = !got_header && is_stale_connection(ec);
    close();
    return attempt;
  }

  asio::awaitable<Attempt<HttpResponse>> request_once(std::string_view method,
                                                      std::string_view target,
                                                      std::string_view body,
                                                      const HttpHeaders& headers) {
    Attempt<HttpResponse> attempt;
    if (error_code ec = co_await ensure_connected()) co_return fail(attempt, ec, true);
    auto request = make_request<http::string_body>(method, target, host, headers);
    request.body() = body;
    auto verb = request.method();
    if (!body.empty() || verb == http::verb::post || verb == http::verb::put || verb == http::verb::patch)
      request.prepare_payload();
    stream.expires_after(timeout);
    auto [ec, n] = co_await http::async_write(stream, request, kNoThrow);
    co_return co_await read_response(verb == http::verb::head, ec);
  }

  asio::awaitable<Attempt<HttpResponse>> upload_once(std::string_view method, std::string_view target,
                                                     std::uint64_t bytes, bool chunked,
                                                     const HttpHeaders& headers) {
    Attempt<HttpResponse> attempt;
    if (error_code ec = co_await ensure_connected()) co_return fail(attempt, ec, true);
    auto request = make_request<http::empty_body>(method, target, host, headers);
    if (chunked) request.chunked(true);
    else request.content_length(bytes);
    stream.expires_after(timeout);
    error_code ec = co_await write_generated(request, bytes);
    co_return co_await read_response(false, ec);
  }

  asio::awaitable<Attempt<DownloadResult>> download_once(std::string_view target,
                                                         const HttpHeaders& headers) {
    Attempt<DownloadResult> attempt;
    if (error_code ec = co_await ensure_connected()) co_return fail(attempt, ec, true);
    auto request = make_request<http::empty_body>("GET", target, host, headers);
    stream.expires_after(timeout);
    auto [ec, n] = co_await http::async_write(stream, request, kNoThrow);
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    if (!ec) std::tie(ec, n) = co_await http::async_read_header(stream, buffer, parser, kNoThrow);
    auto chunk = std::make_unique<char[]>(kChunk);
    while (!ec && !parser.is_done()) {
      parser.get().body().data = chunk.get();
      parser.get().body().size = kChunk;
      std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, kNoThrow);
      if (ec == http::error::need_buffer) ec = {};
      std::size_t got = kChunk - parser.get().body().size;
      attempt.result.bytes += got;
      const char* data = chunk.get();
      std::uint32_t sum = attempt.result.checksum;
      for (std::size_t i = 0; i < got; ++i) sum += static_cast<unsigned char>(data[i]);
      attempt.result.checksum = sum;
    }
    if (ec) co_return fail(attempt, ec, parser.is_header_done());
    attempt.result.status = static_cast<int>(parser.get().result_int());
    attempt.result.headers = header_map(parser.get().base());
    if (!parser.get().keep_alive()) close();
    co_return attempt;
  }

  // Runs `make()` once, and once more on a fresh connection if a reused one turned out stale.
  template <class Make>
  auto with_retry(Make make) {
    bool reused = is_connected;
    auto attempt = run(make());
    if (attempt.stale && reused) attempt = run(make());
    return std::move(attempt.result);
  }
};

HttpClient::HttpClient(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(std::move(host), port, timeout)) {}

HttpClient::~HttpClient() { impl_->close(); }

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 std::string_view body, const HttpHeaders& headers) {
  return impl_->with_retry([&] { return impl_->request_once(method, target, body, headers); });
}

HttpResponse HttpClient::upload(std::string_view target, std::uint64_t bytes, bool chunked,
                                std::string_view method, const HttpHeaders& headers) {
  return impl_->with_retry(
      [&] { return impl_->upload_once(method, target, bytes, chunked, headers); });
}

DownloadResult HttpClient::download(std::string_view target, const HttpHeaders& headers) {
  return impl_->with_retry([&] { return impl_->download_once(target, headers); });
}

void HttpClient::set_timeout(std::chrono::milliseconds timeout) { impl_->timeout = timeout; }
void HttpClient::close() { impl_->close(); }
bool HttpClient::connected() const { return impl_->is_connected; }
int HttpClient::connects() const { return impl_->connect_count; }

HttpResponse http_request(const std::string& host, std::uint16_t port, std::string_view method,
                          std::string_view target, std::string_view body,
                          const HttpHeaders& headers, std::chrono::milliseconds timeout) {
  HttpClient client(host, port, timeout);
  HttpHeaders with_close = headers;
  with_close.emplace_back("Connection", "close");
  return client.request(method, target, body, with_close);
}

std::uint32_t pattern_checksum(std::uint64_t n) {
  constexpr std::uint64_t kCycleSum = 26 * 'a' + 25 * 26 / 2;  // 'a' + ... + 'z'
  std::uint64_t sum = (n / 26) * kCycleSum;
  for (std::uint64_t i = 0; i < n % 26; ++i) sum += static_cast<unsigned char>(pattern_byte(i));
  return static_cast<std::uint32_t>(sum);
}

}  // namespace switchyard::test
