#pragma once
// ListenerGate: the open client connections of one listener, counted across every worker's
// acceptor on it, against listeners[].max_connections. At the limit the workers stop calling
// accept() (the kernel's backlog holds new clients) instead of accepting and closing.
// Shared by the worker threads: atomics only; the DataPlane owns it and outlives the workers.

#include <atomic>
#include <cstdint>

namespace switchyard::proxy::net {

class ListenerGate {
 public:
  explicit ListenerGate(std::uint32_t max_connections) : max_(max_connections) {}

  // A check before accept(): several workers may pass it at once, so the count can exceed the
  // limit by at most (workers - 1) for a moment.
  bool full() const { return max_ != 0 && open_.load(std::memory_order_relaxed) >= max_; }
  void opened() { open_.fetch_add(1, std::memory_order_relaxed); }
  void closed() { open_.fetch_sub(1, std::memory_order_relaxed); }
  void count_pause() { pauses_.fetch_add(1, std::memory_order_relaxed); }
  std::uint32_t open() const { return open_.load(std::memory_order_relaxed); }
  std::uint64_t pauses() const { return pauses_.load(std::memory_order_relaxed); }
  std::uint32_t max_connections() const { return max_; }

 private:
  const std::uint32_t max_;
  std::atomic<std::uint32_t> open_{0};
  std::atomic<std::uint64_t> pauses_{0};
};

// Holds one counted connection for as long as it lives (null gate: nothing counted).
class GateSlot {
 public:
  explicit GateSlot(ListenerGate* gate) : gate_(gate) {}
  ~GateSlot() {
    if (gate_) gate_->closed();
  }
  GateSlot(const GateSlot&) = delete;
  GateSlot& operator=(const GateSlot&) = delete;

 private:
  ListenerGate* gate_;
};

}  // namespace switchyard::proxy::net
