#include "proxy/net/listener_assignment.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

namespace {

bool same_socket(int a, int b) {
  struct stat sa {}, sb {};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// A process whose workers shared one socket hands over one descriptor of it per worker: keep one
// of each socket (closing the others), so that the workers here know they share its queue.
std::vector<InheritedSocket> distinct_sockets(std::vector<InheritedSocket> sockets) {
  std::vector<InheritedSocket> distinct;
  for (const auto& socket : sockets) {
    const bool seen = std::any_of(distinct.begin(), distinct.end(),
                                  [&](const InheritedSocket& kept) { return same_socket(kept.fd, socket.fd); });
    if (seen) ::close(socket.fd);
    else distinct.push_back(socket);
  }
  return distinct;
}

}  // namespace

bool assign_listening_sockets(std::vector<InheritedSocket> sockets, std::size_t listener, ListenerGate* gate,
                      std::vector<std::unique_ptr<Worker>>& workers,
                      std::vector<int>& fds, std::string& error) {
  sockets = distinct_sockets(std::move(sockets));
  const std::size_t count = std::max(sockets.size(), workers.size());
  const bool shared_queue = sockets.size() == 1;
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
    worker.add_acceptor(std::move(acceptor), listener, gate, shared_queue);
  }
  return true;
}

}  // namespace switchyard::proxy::net
