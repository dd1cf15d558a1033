#include "controller/drivers/port_allocator.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace switchyard::controller::drivers {

bool port_is_free(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  // SO_REUSEADDR like the servers we start (Asio acceptors set it): a port whose old connections
  // linger in TIME_WAIT is free for them, so it is free for us too.
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return free;
}

PortAllocator::PortAllocator(std::uint16_t min, std::uint16_t max)
    : min_(min), max_(max < min ? min : max), next_(min) {}

std::optional<std::uint16_t> PortAllocator::allocate(std::string& error) {
  const std::uint32_t span = static_cast<std::uint32_t>(max_) - min_ + 1;
  std::uint32_t busy = 0;
  for (std::uint32_t tried = 0; tried < span; ++tried) {
    const auto port = static_cast<std::uint16_t>(next_);
    next_ = next_ >= max_ ? min_ : next_ + 1;
    if (held_.count(port) != 0 || port == 0) continue;
    if (!port_is_free(port)) {
      ++busy;
      continue;
    }
    held_.insert(port);
    return port;
  }
  error = "no free port in " + std::to_string(min_) + "-" + std::to_string(max_) + " (" +
          std::to_string(held_.size()) + " held by this driver, " + std::to_string(busy) +
          " in use by other programs)";
  return std::nullopt;
}

bool PortAllocator::reserve(std::uint16_t port) {
  if (port < min_ || port > max_) return false;
  return held_.insert(port).second;
}

void PortAllocator::release(std::uint16_t port) { held_.erase(port); }

}  // namespace switchyard::controller::drivers
