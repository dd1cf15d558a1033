#pragma once
// Answers the proxy produces itself (404, 502, 503, 504, 400, 431...), small and with
// Content-Length. Worker-local.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string_view>

namespace switchyard::proxy::net {

class ClientStream;

// Writes a plain-text answer; returns false if the write failed. `error_name` goes into the
// x-switchyard-error header so that a client can tell the proxy's answers from the upstream's.
boost::asio::awaitable<bool> send_local_reply(ClientStream& stream, unsigned status,
                                              std::string_view error_name, std::string_view text,
                                              bool keep_alive, std::chrono::milliseconds timeout);

}  // namespace switchyard::proxy::net
