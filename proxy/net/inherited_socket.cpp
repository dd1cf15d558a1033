#include "proxy/net/inherited_socket.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace switchyard::proxy::net {
namespace asio = boost::asio;

bool inspect_listening_socket(int fd, InheritedSocket& out, std::string& error) {
  const std::string name = "descriptor " + std::to_string(fd);
  int flags = ::fcntl(fd, F_GETFD);
  if (flags < 0 || ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
    error = name + ": " + std::strerror(errno);
    return false;
  }
  int type = 0, listening = 0;
  socklen_t length = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM) {
    error = name + ": not a stream socket";
    return false;
  }
  length = sizeof listening;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || !listening) {
    error = name + ": not a listening socket";
    return false;
  }
  sockaddr_storage address{};
  length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    error = name + ": getsockname: " + std::strerror(errno);
    return false;
  }
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    out.local = {asio::ip::address_v4(ntohl(v4.sin_addr.s_addr)), ntohs(v4.sin_port)};
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &v6.sin6_addr, bytes.size());
    out.local = {asio::ip::address_v6(bytes, v6.sin6_scope_id), ntohs(v6.sin6_port)};
  } else {
    error = name + ": not an IPv4 or IPv6 socket";
    return false;
  }
  out.fd = fd;
  return true;
}

void close_all(std::vector<InheritedSocket>& sockets) {
  for (const auto& socket : sockets) ::close(socket.fd);
  sockets.clear();
}

}  // namespace switchyard::proxy::net
