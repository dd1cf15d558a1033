#include "proxy/routing/route_table_publisher.hpp"

#include <utility>

namespace switchyard::proxy::routing {

RouteTablePublisher::RouteTablePublisher(std::shared_ptr<const RouteTable> initial)
    : table_(std::move(initial)) {}

// The generation is bumped only after the pointer is stored (release), so a reader that sees
// the new generation (acquire) and then takes the lock finds at least that table.
void RouteTablePublisher::publish(std::shared_ptr<const RouteTable> table) {
  std::shared_ptr<const RouteTable> old;
  {
    std::lock_guard lock(mutex_);
    old = std::exchange(table_, std::move(table));
    generation_.fetch_add(1, std::memory_order_release);
  }
  // `old` is released here, outside the lock: destroying a big table never blocks readers.
}

std::shared_ptr<const RouteTable> RouteTablePublisher::current() const {
  std::lock_guard lock(mutex_);
  return table_;
}

RouteTableCache::RouteTableCache(const RouteTablePublisher& publisher) : publisher_(publisher) {}

// Reading the generation before the pointer means a publish racing with us is at worst picked
// up twice (we may already hold the newer table under the older number), never missed.
const std::shared_ptr<const RouteTable>& RouteTableCache::get() {
  const std::uint64_t generation = publisher_.generation();
  if (generation != seen_) {
    table_ = publisher_.current();
    seen_ = generation;
  }
  return table_;
}

}  // namespace switchyard::proxy::routing
