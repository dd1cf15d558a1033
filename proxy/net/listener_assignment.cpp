#include "proxy/net/listener_assignment.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "proxy/net/worker.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::vector<InheritedSocket> take_matching(std::vector<InheritedSocket>& inherited,
                                           const config::HostPort& address) {
  std::vector<InheritedSocket> matching;
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address.host, ec);
  if (ec || address.port == 0) return matching;
  const tcp::endpoint wanted{ip, address.port};
  std::erase_if(inherited, [&](const InheritedSocket& socket) {
    if (socket.local != wanted) return false;
    matching.push_back(socket);
    return true;
  });
  return matching;
}

bool assign_inherited(std::vector<InheritedSocket> sockets, std::size_t listener, ListenerGate* gate,
                      std::vector<std::unique_ptr<Worker>>& workers,
                      std::vector<int>& fds, std::string& error) {
  const std::size_t count = std::max(sockets.size(), workers.size());
  for (std::size_t j = 0; j < count; ++j) {
    const InheritedSocket& source = sockets[j % sockets.size()];
    const int fd = j < sockets.size() ? source.fd : ::fcntl(source.fd, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) {
      error = "cannot share inherited socket " + source.local.address().to_string() + ":" +
              std::to_string(source.local.port()) + ": " + std::strerror(errno);
      for (std::size_t k = j; k < sockets.size(); ++k) ::close(sockets[k].fd);
      return false;
    }
    Worker& worker = *workers[j % workers.size()];
    tcp::acceptor acceptor(worker.io());
    boost::system::error_code ec;
    acceptor.assign(source.local.protocol(), fd, ec);
    if (ec) {
      error = "cannot use inherited socket: " + ec.message();
      ::close(fd);
      for (std::size_t k = j + 1; k < sockets.size(); ++k) ::close(sockets[k].fd);
      return false;
    }
    fds.push_back(fd);
    worker.add_acceptor(std::move(acceptor), listener, gate);
  }
  return true;
}

}  // namespace switchyard::proxy::net
