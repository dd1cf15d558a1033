#include "proxy/net/stream_errors.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace switchyard::proxy::net {
namespace asio = boost::asio;
namespace http = boost::beast::http;

bool is_peer_close(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == http::error::partial_message ||
         ec == asio::ssl::error::stream_truncated;  // a TLS client closed without close_notify
}

bool is_normal_end(const boost::system::error_code& ec) {
  return is_peer_close(ec) || ec == asio::error::operation_aborted || ec == boost::beast::error::timeout ||
         ec == asio::error::bad_descriptor;
}

}  // namespace switchyard::proxy::net
