#include "demo/demo_session.hpp"
#include "common/ascii_case.hpp"

#include "demo/demo_routes.hpp"
#include "demo/demo_websocket.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <limits>
#include <memory>
#include <optional>

namespace switchyard::demo {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using boost::system::error_code;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kAdminBodyLimit = 64 * 1024;
constexpr auto kIdleTimeout = std::chrono::seconds(120);  // between requests
constexpr auto kIoTimeout = std::chrono::seconds(60);     // per read or write once a request began

// 'a'..'z' repeated, 26 bytes longer than a chunk so that a chunk can start at any phase.
const char* pattern() {
  static const std::string text = [] {
    std::string s(kChunk + 26, '\0');
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + i % 26);
    return s;
  }();
  return text.data();
}

bool is_http_parse_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_version).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// What consuming a request body produced.
struct BodyResult {
  error_code ec;
  std::uint64_t bytes = 0;
  std::uint32_t checksum = 0;  // sum of all bytes mod 2^32 (only when asked for)
  std::string kept;            // the body itself (only when asked for, up to kAdminBodyLimit)
  bool too_large = false;      // the kept body went over kAdminBodyLimit
};

// One connection's state machine: read a header, consume the body, answer, repeat while the
// request allows keep-alive. Worker-local; lives in the serve_connection coroutine frame.
class Session {
 public:
  Session(tcp::socket socket, DemoState& state)
      : stream_(std::move(socket)), timer_(stream_.get_executor()), state_(state),
        chunk_(std::make_unique<char[]>(kChunk)), ok_response_(prepared_ok(state.name)) {
    // Beast sizes each socket read by the buffer's spare capacity (minimum 512 bytes): without
    // this, bodies would arrive in 512-byte reads.
    buffer_.reserve(kChunk);
  }

  asio::awaitable<void> run() {
    while (co_await serve_one()) {
    }
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

 private:
  // Reads one request and answers it; false when the connection must close.
  asio::awaitable<bool> serve_one() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // bodies stream, never buffer
    stream_.expires_after(kIdleTimeout);
    auto [ec, ignored] = co_await http::async_read_header(stream_, buffer_, *parser_, kNoThrow);
    if (ec) {
      keep_alive_ = false;
      head_ = false;
      version_ = 11;
      if (is_http_parse_error(ec)) co_await send(http::status::bad_request, error_json(ec.message()));
      co_return false;
    }
    state_.heads.fetch_add(1, std::memory_order_relaxed);
    const auto& request = parser_->get();
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    head_ = request.method() == http::verb::head;
    if (is_websocket_request(request)) {
      co_await serve_websocket(std::move(stream_), request);
      co_return false;
    }
    Route route = classify(request.target());
    if (!co_await continue_if_expected()) co_return false;
    BodyResult body = co_await read_body(route == Route::upload, route == Route::faults);
    if (body.ec) co_return false;
    if (!method_allowed(route, request.method()))
      co_return co_await send(http::status::method_not_allowed, error_json("method not allowed"));
    co_return co_await dispatch(route, body);
  }

  asio::awaitable<bool> dispatch(Route route, const BodyResult& body) {
    const auto& request = parser_->get();
    switch (route) {
      case Route::healthz: {
        const int status = state_.faults.get().healthz_status;
        co_return co_await send(static_cast<http::status>(status), status / 100 == 2 ? "ok\n" : "failing\n",
                                "text/plain");
      }
      case Route::faults:
        co_return co_await faults(request.method(), body);
      case Route::stats:
        co_return co_await send(http::status::ok, stats_json());
      case Route::env:
        co_return co_await send(http::status::ok, env_json(request.target()));
      case Route::config_file:
        co_return co_await send(http::status::ok, config_file_json(state_.config_file));
      case Route::secrets:
        co_return co_await send(http::status::ok, state_.secrets_summary);
      case Route::echo:
        if (co_await inject_faults()) co_return co_await send_failure();
        co_return co_await send(http::status::ok, echo_json(state_.name, request, body.bytes));
      case Route::bytes:
        if (auto query = parse_bytes_query(request.target()))
          co_return co_await send_bytes(*query);
        co_return co_await send(http::status::bad_request,
                                error_json("n: must be an integer between 0 and 2^40"));
      case Route::upload:
        state_.uploads.fetch_add(1, std::memory_order_relaxed);
        state_.upload_bytes.fetch_add(body.bytes, std::memory_order_relaxed);
        co_return co_await send(http::status::ok, upload_json(body));
      case Route::other:
        break;
    }
    if (co_await inject_faults()) co_return co_await send_failure();
    if (version_ == 11 && keep_alive_ && !head_) co_return co_await send_prepared(ok_response_);
    co_return co_await send(http::status::ok, state_.name + "\n", "text/plain");
  }

  // The hot path of benchmarks: the catch-all answer to a keep-alive HTTP/1.1 request never
  // changes, so it is written from bytes prepared once per connection, skipping the serializer.
  static std::string prepared_ok(const std::string& name) {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nx-backend: " + name +
           "\r\nContent-Length: " + std::to_string(name.size() + 1) + "\r\n\r\n" + name + "\n";
  }

  asio::awaitable<bool> send_prepared(const std::string& bytes) {
    stream_.expires_after(kIoTimeout);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(bytes), kNoThrow);
    co_return finish(ec);
  }

  asio::awaitable<bool> faults(http::verb method, const BodyResult& body) {
    if (method == http::verb::put) {
      if (body.too_large)
        co_return co_await send(http::status::payload_too_large, error_json("body: too large"));
      if (std::string error = state_.faults.apply_json(body.kept); !error.empty())
        co_return co_await send(http::status::bad_request, error_json(error));
    }
    co_return co_await send(http::status::ok, state_.faults.to_json());
  }

  // Applies the configured latency, then draws whether this answer fails.
  asio::awaitable<bool> inject_faults() {
    FaultSettings now = state_.faults.get();
    if (now.latency_ms > 0) {
      timer_.expires_after(std::chrono::milliseconds(now.latency_ms));
      co_await timer_.async_wait(kNoThrow);
    }
    co_return state_.faults.should_fail();
  }

  asio::awaitable<bool> send_failure() {
    co_return co_await send(http::status::internal_server_error, state_.name + " error\n",
                            "text/plain");
  }

  // Clients that send `Expect: 100-continue` wait for this before sending the body.
  asio::awaitable<bool> continue_if_expected() {
    const auto& request = parser_->get();
    if (parser_->is_done() || version_ < 11 ||
        !switchyard::ascii_iequals(request[http::field::expect], "100-continue"))
      co_return true;
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(kIoTimeout);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(kContinue), kNoThrow);
    co_return !ec;
  }

  // Consumes the whole request body through the reused chunk buffer.
  asio::awaitable<BodyResult> read_body(bool checksum, bool keep) {
    BodyResult result;
    while (!parser_->is_done()) {
      auto& body = parser_->get().body();
      body.data = chunk_.get();
      body.size = kChunk;
      stream_.expires_after(kIoTimeout);
      auto [ec, n] = co_await http::async_read(stream_, buffer_, *parser_, kNoThrow);
      if (ec && ec != http::error::need_buffer) {
        result.ec = ec;
        break;
      }
      account(result, kChunk - body.size, checksum, keep);
    }
    co_return result;
  }

  void account(BodyResult& result, std::size_t size, bool checksum, bool keep) {
    const char* data = chunk_.get();
    result.bytes += size;
    if (checksum) {
      std::uint32_t sum = result.checksum;
      for (std::size_t i = 0; i < size; ++i) sum += static_cast<unsigned char>(data[i]);
      result.checksum = sum;
    }
    if (keep) {
      if (result.kept.size() + size > kAdminBodyLimit) result.too_large = true;
      else result.kept.append(data, size);
    }
  }

  template <class Response>
  void set_common(Response& response, std::string_view content_type) {
    response.set(http::field::content_type, content_type);
    response.set("x-backend", state_.name);
    response.keep_alive(keep_alive_);
  }

  asio::awaitable<bool> send(http::status status, std::string body,
                             std::string_view content_type = "application/json") {
    http::response<http::string_body> response{status, version_};
    set_common(response, content_type);
    response.body() = std::move(body);
    response.prepare_payload();
    stream_.expires_after(kIoTimeout);
    error_code ec;
    if (head_) {
      http::response_serializer<http::string_body> serializer{response};
      std::tie(ec, std::ignore) = co_await http::async_write_header(stream_, serializer, kNoThrow);
    } else {
      std::tie(ec, std::ignore) = co_await http::async_write(stream_, response, kNoThrow);
    }
    co_return finish(ec);
  }

  // Streams n pattern bytes straight from the static pattern: nothing proportional to n is held.
  asio::awaitable<bool> send_bytes(BytesQuery query) {
    bool chunked = query.chunked && version_ >= 11;
    http::response<http::empty_body> response{http::status::ok, version_};
    set_common(response, "application/octet-stream");
    if (chunked) response.chunked(true);
    else response.content_length(query.n);
    http::response_serializer<http::empty_body> serializer{response};
    stream_.expires_after(kIoTimeout);
    auto [ec, ignored] = co_await http::async_write_header(stream_, serializer, kNoThrow);
    for (std::uint64_t sent = 0; !ec && !head_ && sent < query.n;) {
      std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, query.n - sent));
      auto piece = asio::buffer(pattern() + sent % 26, size);
      stream_.expires_after(kIoTimeout);
      if (chunked) std::tie(ec, std::ignore) = co_await asio::async_write(stream_, http::make_chunk(piece), kNoThrow);
      else std::tie(ec, std::ignore) = co_await asio::async_write(stream_, piece, kNoThrow);
      sent += size;
    }
    if (!ec && chunked && !head_)
      std::tie(ec, std::ignore) = co_await asio::async_write(stream_, http::make_chunk_last(), kNoThrow);
    co_return finish(ec);
  }

  bool finish(const error_code& ec) {
    if (ec) return false;
    state_.requests.fetch_add(1, std::memory_order_relaxed);
    return keep_alive_;
  }

  std::string stats_json() const {
    json::object obj;
    obj["name"] = state_.name;
    obj["accepts"] = state_.accepts.load(std::memory_order_relaxed);
    obj["heads"] = state_.heads.load(std::memory_order_relaxed);
    obj["requests"] = state_.requests.load(std::memory_order_relaxed);
    obj["uploads"] = state_.uploads.load(std::memory_order_relaxed);
    obj["upload_bytes"] = state_.upload_bytes.load(std::memory_order_relaxed);
    return json::serialize(obj);
  }

  std::string upload_json(const BodyResult& body) const {
    json::object obj;
    obj["name"] = state_.name;
    obj["bytes"] = body.bytes;
    obj["checksum"] = body.checksum;
    return json::serialize(obj);
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  DemoState& state_;
  beast::flat_buffer buffer_;  // reused across the connection's requests
  std::unique_ptr<char[]> chunk_;
  std::optional<http::request_parser<http::buffer_body>> parser_;  // fresh per request
  const std::string ok_response_;  // see prepared_ok()
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
};

}  // namespace

asio::awaitable<void> serve_connection(tcp::socket socket, DemoState& state) {
  Session session(std::move(socket), state);
  co_await session.run();
}

}  // namespace switchyard::demo
