#pragma once
// Opening listening sockets. Every worker gets its own acceptor on the same address
// (SO_REUSEPORT), so the kernel spreads new connections across workers with no shared queue.

#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "config/proxy_config.hpp"

namespace switchyard::proxy::net {

// Binds and listens on `address` with SO_REUSEADDR and SO_REUSEPORT. On failure returns
// false and sets `error` to a message naming the address.
bool open_acceptor(boost::asio::ip::tcp::acceptor& acceptor, const config::HostPort& address,
                   std::string& error);

}  // namespace switchyard::proxy::net
