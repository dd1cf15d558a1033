#include "proxy/net/read_head.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string_view>

#include "proxy/net/client_stream.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadSize = kHeadReadSize;
constexpr Verdict kHeaderTimeout{408, "header_timeout", "switchyard: request head not received in time"};

std::string_view view_of(const beast::flat_buffer& buffer) {
  auto data = buffer.data();
  return {static_cast<const char*>(data.data()), data.size()};
}

// One read that loses against `deadline`. On plain TCP it races a timer, which leaves the socket
// open so that the client can still be told 408. Over TLS a cancelled read would leave the TLS
// stream unusable anyway, so the stream's own timeout closes it instead (no 408, just a close).
// Returns false on timeout.
asio::awaitable<bool> read_before(ClientStream& stream, beast::flat_buffer& buffer,
                                  std::chrono::steady_clock::time_point deadline, boost::system::error_code& ec) {
  if (stream.is_tls()) {
    stream.expires_after(deadline - std::chrono::steady_clock::now());
    auto [read_ec, n] = co_await stream.async_read_some(buffer.prepare(kReadSize), nothrow);
    stream.expires_never();
    buffer.commit(n);
    if (read_ec == beast::error::timeout) co_return false;
    ec = read_ec;
    co_return true;
  }
  asio::steady_timer timer(stream.get_executor(), deadline);
  auto result = co_await (stream.socket().async_read_some(buffer.prepare(kReadSize), nothrow) ||
                          timer.async_wait(nothrow));
  if (result.index() == 1) co_return false;
  auto [read_ec, n] = std::get<0>(result);
  buffer.commit(n);
  ec = read_ec;
  co_return true;
}

HeadRead refused(const Verdict& verdict) { return HeadRead{HeadRead::Outcome::refused, verdict}; }

// The scanner found a whole head at the front of `buffer`: parse and check it.
HeadRead parse_head(const HeadScanner& scanner, beast::flat_buffer& buffer, HeadParser& parser,
                    const config::LimitsConfig& limits) {
  buffer.consume(scanner.leading_bytes());
  boost::system::error_code ec;
  const std::size_t used = parser.put(asio::buffer(buffer.data().data(), scanner.head_bytes()), ec);
  if (ec) return refused(verdict_of_parse_error(ec));
  if (!parser.is_header_done()) return refused(verdict_of_parse_error(beast::http::error::partial_message));
  buffer.consume(used);
  const Verdict verdict = check_request_head(parser.get(), limits);
  if (!verdict.accepted()) return refused(verdict);
  return HeadRead{HeadRead::Outcome::ok, {}};
}

}  // namespace

std::optional<HeadRead> head_in_buffer(beast::flat_buffer& buffer, HeadParser& parser,
                                       const config::LimitsConfig& limits) {
  HeadScanner scanner(limits);
  switch (scanner.scan(view_of(buffer))) {
    case HeadScanner::State::done: return parse_head(scanner, buffer, parser, limits);
    case HeadScanner::State::rejected: return refused(scanner.verdict());
    case HeadScanner::State::more: break;
  }
  return std::nullopt;
}

asio::awaitable<HeadRead> read_request_head(ClientStream& stream, beast::flat_buffer& buffer,
                                            HeadParser& parser, const config::LimitsConfig& limits,
                                            std::chrono::milliseconds idle_timeout, bool& waiting_idle) {
  HeadScanner scanner(limits);
  waiting_idle = buffer.size() == 0;
  if (waiting_idle) {
    // The common case: the first read brings the whole head. the stream's deadline closes the
    // socket, which is all an idle connection deserves.
    stream.expires_after(idle_timeout);
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadSize), nothrow);
    buffer.commit(n);
    if (ec || n == 0) co_return HeadRead{};
    waiting_idle = false;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.header_timeout_ms);
  stream.expires_never();
  for (;;) {
    switch (scanner.scan(view_of(buffer))) {
      case HeadScanner::State::done: co_return parse_head(scanner, buffer, parser, limits);
      case HeadScanner::State::rejected: co_return refused(scanner.verdict());
      case HeadScanner::State::more: break;
    }
    boost::system::error_code ec;
    if (!co_await read_before(stream, buffer, deadline, ec)) co_return refused(kHeaderTimeout);
    if (ec) co_return HeadRead{};
  }
}

}  // namespace switchyard::proxy::net
