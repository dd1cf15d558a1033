#include "proxy/net/upstream_pool.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace switchyard::proxy::net {
namespace {

// True when the peer has not closed or reset the idle connection and sent nothing unexpected.
// A non-blocking peek: EAGAIN means "nothing to read", which is what a live idle connection says.
bool still_open(UpstreamConnection& connection, bool probe) {
  auto& socket = connection.stream.socket();
  if (!socket.is_open() || connection.buffer.size() != 0) return false;
  if (!probe) return true;
  char byte;
  ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

std::unique_ptr<UpstreamConnection> UpstreamPool::take(const std::string& endpoint_key, bool probe) {
  auto it = idle_.find(endpoint_key);
  if (it == idle_.end()) return nullptr;
  auto& stack = it->second;
  while (!stack.empty()) {
    auto connection = std::move(stack.back());
    stack.pop_back();
    if (still_open(*connection, probe)) {
      connection->reused = true;
      return connection;
    }
    boost::system::error_code ignored;
    connection->stream.socket().close(ignored);
  }
  return nullptr;
}

void UpstreamPool::put(std::unique_ptr<UpstreamConnection> connection) {
  auto& stack = idle_[connection->endpoint_key];
  if (stack.size() >= max_idle_) return;  // closes it
  connection->idle_since = std::chrono::steady_clock::now();
  connection->stream.expires_never();
  stack.push_back(std::move(connection));
}

void UpstreamPool::expire(std::chrono::steady_clock::duration max_idle) {
  auto cutoff = std::chrono::steady_clock::now() - max_idle;
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& stack = it->second;
    // The stack is ordered by idle_since (LIFO): the oldest are at the front.
    std::size_t keep_from = 0;
    while (keep_from < stack.size() && stack[keep_from]->idle_since < cutoff) ++keep_from;
    stack.erase(stack.begin(), stack.begin() + static_cast<std::ptrdiff_t>(keep_from));
    it = stack.empty() ? idle_.erase(it) : std::next(it);
  }
}

void UpstreamPool::clear() { idle_.clear(); }

std::size_t UpstreamPool::idle_count() const {
  std::size_t n = 0;
  for (const auto& [key, stack] : idle_) n += stack.size();
  return n;
}

}  // namespace switchyard::proxy::net
