#pragma once
// Opening listening sockets. One socket per listener, shared by the workers (see
// listener_assignment.hpp); SO_REUSEPORT lets a new process bind the same address while the old
// one drains (a restart without a hand-over socket).

#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "config/proxy_config.hpp"

namespace switchyard::proxy::net {

// Binds and listens on `address` with SO_REUSEADDR and SO_REUSEPORT. On failure returns
// false and sets `error` to a message naming the address.
bool open_acceptor(boost::asio::ip::tcp::acceptor& acceptor, const config::HostPort& address,
                   std::string& error);

}  // namespace switchyard::proxy::net
