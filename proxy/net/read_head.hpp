#pragma once
// Reading one request head from a client under the limits of docs/hostile-input.md: wait for
// the first byte under the idle timeout, then for the rest of the head under
// limits.header_timeout_ms; scan the raw bytes (HeadScanner), parse them with Beast, check the
// parsed head. Worker-local.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstddef>
#include <optional>

#include "config/proxy_config.hpp"
#include "proxy/net/request_checks.hpp"

namespace switchyard::proxy::net {

class ClientStream;

struct HeadRead {
  enum class Outcome {
    ok,        // `parser` holds an accepted head; its body (if any) is unread
    closed,    // the client went away, or stayed silent past the idle timeout: close quietly
    refused,   // answer `verdict` (400/408/413/414/431...) and close
  };
  Outcome outcome = Outcome::closed;
  Verdict verdict;
};

// How much one read of a request head asks for.
inline constexpr std::size_t kHeadReadSize = 4096;

// The common case, without a coroutine frame: a whole head already in `buffer` (the first read
// usually brings all of it) is scanned, parsed and checked. Nothing when more bytes are needed.
std::optional<HeadRead> head_in_buffer(boost::beast::flat_buffer& buffer, HeadParser& parser,
                                       const config::LimitsConfig& limits);

// `waiting_idle` is true while no byte of this head has arrived (a drain may close the
// connection then).
boost::asio::awaitable<HeadRead> read_request_head(ClientStream& stream,
                                                   boost::beast::flat_buffer& buffer, HeadParser& parser,
                                                   const config::LimitsConfig& limits,
                                                   std::chrono::milliseconds idle_timeout, bool& waiting_idle);

}  // namespace switchyard::proxy::net
