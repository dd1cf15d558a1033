#pragma once
// The exchange's fast path (docs/performance.md): the upstream's response head is parsed by
// FlatResponseHead instead of Beast, and when it is the plain shape — a final status, and either
// no body or a Content-Length — the client gets the rewritten head and the first body bytes in
// one write, then the rest of the body as raw bytes. Everything else goes through Beast exactly
// as before (exchange.cpp). Worker-local; included only by exchange.cpp.

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <memory>

#include "proxy/net/exchange.hpp"
#include "proxy/net/flat_response_head.hpp"

namespace switchyard::proxy::net {

inline bool response_has_no_body(unsigned status, bool head_request) {
  return head_request || status / 100 == 1 || status == 204 || status == 304;
}

// The rewritten client head for a complete flat head, written at the start of `buffer`; its
// size, or 0 when the response needs the slow path (interim status, framing Beast must handle,
// or a head that does not fit).
std::size_t compose_flat_response(const ExchangeRequest& request, const FlatResponseHead& head, char* buffer,
                                  std::size_t capacity);

// Sends the composed head (buffer[0, head_size)) and the Content-Length body, then pools the
// upstream connection when it can carry another request.
boost::asio::awaitable<ExchangeResult> send_flat_response(Worker& worker, ExchangeRequest& request,
                                                          std::unique_ptr<UpstreamConnection> connection,
                                                          char* buffer, std::size_t head_size,
                                                          std::size_t capacity);

}  // namespace switchyard::proxy::net
