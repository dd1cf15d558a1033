#pragma once
// Streams a message body from one stream to another through a fixed buffer: read some from
// `in` into the parser's buffer_body, write it to `out` through the serializer of the same
// message, until the parser is done. Memory is bounded by the buffer, whatever the body size.
// Worker-local; header-only because it is a template over request/response.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstddef>

namespace switchyard::proxy::net {

enum class RelayStatus { done, read_failed, write_failed };

struct RelayOutcome {
  RelayStatus status = RelayStatus::done;
  boost::system::error_code error;
  std::size_t bytes = 0;
};

// InStream/OutStream: DeadlineStream (upstream) or ClientStream (client), each with expires_after.
template <bool isRequest, class InStream, class OutStream>
boost::asio::awaitable<RelayOutcome> relay_body(
    InStream& in, boost::beast::flat_buffer& in_buffer,
    boost::beast::http::parser<isRequest, boost::beast::http::buffer_body>& parser,
    OutStream& out,
    boost::beast::http::serializer<isRequest, boost::beast::http::buffer_body>& serializer,
    char* buffer, std::size_t buffer_size, std::chrono::milliseconds idle_timeout) {
  namespace http = boost::beast::http;
  constexpr auto nothrow = boost::asio::as_tuple(boost::asio::use_awaitable);
  RelayOutcome outcome;
  auto& body = parser.get().body();
  for (;;) {
    bool last = parser.is_done();
    if (!last) {
      body.data = buffer;
      body.size = buffer_size;
      in.expires_after(idle_timeout);
      auto [ec, n] = co_await http::async_read_some(in, in_buffer, parser, nothrow);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) co_return RelayOutcome{RelayStatus::read_failed, ec, outcome.bytes};
      body.size = buffer_size - body.size;
      body.data = buffer;
      body.more = !parser.is_done();
      outcome.bytes += body.size;
      // A read that produced no body bytes (e.g. only a chunk header, or only the last chunk)
      // must not hand the serializer an empty buffer: it would be encoded as a zero-size chunk,
      // i.e. a premature end, or a second one after the real end.
      if (body.size == 0) {
        if (body.more) continue;
        body.data = nullptr;
      }
    } else {
      body.data = nullptr;
      body.size = 0;
      body.more = false;
    }
    out.expires_after(idle_timeout);
    auto [ec, n] = co_await http::async_write(out, serializer, nothrow);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return RelayOutcome{RelayStatus::write_failed, ec, outcome.bytes};
    if (last || serializer.is_done()) break;
  }
  co_return outcome;
}

}  // namespace switchyard::proxy::net
