#pragma once
// UpstreamPool: a worker's idle upstream connections, per endpoint, reused LIFO (the most
// recently used connection is the least likely to have been closed by the upstream).
// Worker-local: no locks. Connections that failed, timed out, or whose response was not read
// to the end never come back here.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "proxy/net/upstream_connection.hpp"

namespace switchyard::proxy::net {

class UpstreamPool {
 public:
  explicit UpstreamPool(std::size_t max_idle_per_endpoint) : max_idle_(max_idle_per_endpoint) {}

  // An idle connection to `endpoint_key`, or null. With `probe`, a non-blocking peek first makes
  // sure the peer has not closed it (one system call); without, a closed one shows up as a
  // failed first read, which the caller must be able to retry (a request without a body).
  std::unique_ptr<UpstreamConnection> take(const std::string& endpoint_key, bool probe = true);
  // Returns a healthy, fully-read connection for reuse.
  void put(std::unique_ptr<UpstreamConnection> connection);
  // Closes connections idle for longer than `max_idle` (called from a periodic worker timer).
  void expire(std::chrono::steady_clock::duration max_idle);
  // Closes the idle connections of every endpoint key for which `drop(key)` is true; returns
  // how many were closed.
  template <typename Predicate>
  std::size_t drop_if(Predicate drop) {
    std::size_t closed = 0;
    for (auto it = idle_.begin(); it != idle_.end();) {
      if (!drop(it->first)) {
        ++it;
        continue;
      }
      closed += it->second.size();
      it = idle_.erase(it);
    }
    return closed;
  }
  // Closes everything (drain/shutdown).
  void clear();

  std::size_t idle_count() const;

 private:
  std::size_t max_idle_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<UpstreamConnection>>> idle_;
};

}  // namespace switchyard::proxy::net
