#pragma once
// RouteTablePublisher: the one place where the current RouteTable lives. Thread-safe.
// publish() is called on the control thread; workers read through a RouteTableCache, which
// touches only an atomic generation number per request and takes the new pointer (under a
// short lock, off the request path's steady state) only when a new snapshot was published.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::routing {

class RouteTablePublisher {
 public:
  explicit RouteTablePublisher(std::shared_ptr<const RouteTable> initial);

  void publish(std::shared_ptr<const RouteTable> table);
  std::shared_ptr<const RouteTable> current() const;
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const RouteTable> table_;
  std::atomic<std::uint64_t> generation_{0};
};

// Worker-local view of the publisher. Not thread-safe: one per worker.
class RouteTableCache {
 public:
  explicit RouteTableCache(const RouteTablePublisher& publisher);
  // The newest snapshot; cheap when nothing changed (one atomic load).
  const std::shared_ptr<const RouteTable>& get();

 private:
  const RouteTablePublisher& publisher_;
  std::uint64_t seen_ = ~std::uint64_t{0};
  std::shared_ptr<const RouteTable> table_;
};

}  // namespace switchyard::proxy::routing
