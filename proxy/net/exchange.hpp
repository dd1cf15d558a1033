#pragma once
// The proxied exchange of one request with one upstream: connect (or reuse), forward the
// request head and stream its body, read the response head, stream the response body back.
// Worker-local. Included only by proxy/net .cpp files: it pulls in Beast's HTTP templates.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <memory>
#include <string_view>

#include "proxy/net/failure.hpp"
#include "proxy/net/upstream_connection.hpp"
#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::net {

class Worker;
struct ForwardingEdits;
class ClientStream;

using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
using ResponseParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

struct ExchangeRequest {
  ClientStream& client;
  boost::beast::flat_buffer& client_buffer;
  RequestParser& parser;            // head read; body (if any) not yet read
  const routing::Upstream& upstream;
  std::uint32_t upstream_index = 0;
  bool client_keep_alive = true;    // what the client asked for (and the worker allows)
  bool head_request = false;
  bool expect_continue = false;     // the client waits for "100 Continue" before its body
  std::string_view set_cookie;      // a Set-Cookie value to add to the response, or empty
  bool upgrade = false;             // Connection: upgrade + Upgrade: X were forwarded
  // Set when the parsed fields are unedited: the head is written with these edits applied.
  const ForwardingEdits* edits = nullptr;
};

struct ExchangeResult {
  bool client_keep_alive = false;   // the client connection can serve another request
  unsigned status = 0;              // status sent to the client (0 = nothing could be sent)
  Failure failure;                  // upstream failure, if any
  // Set when the upstream switched protocols (101 sent to the client): the caller tunnels the
  // two connections; this one never goes back to the pool.
  std::unique_ptr<UpstreamConnection> tunnel;
  boost::system::error_code request_error = {};  // why reading the client's body failed (bad chunk...)
};

boost::asio::awaitable<ExchangeResult> exchange_with_upstream(Worker& worker, ExchangeRequest& request);

}  // namespace switchyard::proxy::net
