#pragma once
// InheritedSocket: a listening TCP socket this process did not bind itself — received from the
// previous process at a hand-over (SCM_RIGHTS) or from systemd (LISTEN_FDS). Plain data, handed
// from main() to DataPlane::bind() before the workers start; the descriptor is owned by whoever
// holds the struct until bind() assigns or closes it.

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <vector>

namespace switchyard::proxy::net {

struct InheritedSocket {
  int fd = -1;
  boost::asio::ip::tcp::endpoint local;  // getsockname(): what the socket is bound to
};

// Checks that `fd` is a listening TCP stream socket, marks it close-on-exec and reads its
// address. Returns false with `error` set (naming the descriptor) otherwise.
bool inspect_listening_socket(int fd, InheritedSocket& out, std::string& error);

// Closes every descriptor in `sockets` and empties it.
void close_all(std::vector<InheritedSocket>& sockets);

}  // namespace switchyard::proxy::net
