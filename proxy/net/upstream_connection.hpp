#pragma once
// UpstreamConnection: one keep-alive connection to one upstream endpoint, with its read buffer.
// Worker-local. Owned by the request that uses it, or by the worker's UpstreamPool while idle.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <string>

namespace switchyard::proxy::net {

struct UpstreamConnection {
  explicit UpstreamConnection(boost::asio::any_io_executor executor) : stream(std::move(executor)) {}

  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;
  std::string endpoint_key;  // pool key, "host:port"
  std::chrono::steady_clock::time_point idle_since{};
  bool reused = false;       // taken from the pool (may have been closed by the peer meanwhile)
};

}  // namespace switchyard::proxy::net
