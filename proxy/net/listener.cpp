#include "proxy/net/listener.hpp"

#include <sys/socket.h>

#include <boost/asio/socket_base.hpp>

namespace switchyard::proxy::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

bool open_acceptor(tcp::acceptor& acceptor, const config::HostPort& address, std::string& error) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address.host, ec);
  if (ec) {
    error = "invalid listen address " + address.to_string() + ": " + ec.message();
    return false;
  }
  tcp::endpoint endpoint{ip, address.port};
  auto fail = [&](const char* what) {
    error = std::string("cannot ") + what + " " + address.to_string() + ": " + ec.message();
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return false;
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open socket for");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("set SO_REUSEADDR on");
  using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
  acceptor.set_option(reuse_port(true), ec);
  if (ec) return fail("set SO_REUSEPORT on");
  acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  return true;
}

}  // namespace switchyard::proxy::net
