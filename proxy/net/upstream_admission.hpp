#pragma once
// Upstream circuit breakers (config: max_connections, max_pending, max_requests): RAII slots
// over the shared per-upstream counters of routing::UpstreamRuntime. Thread-safe: relaxed
// atomics only, touched when a connection opens or closes, when a request has to wait for one,
// and (only for upstreams with max_requests) once per request. No lock, no allocation.

#include <cstdint>
#include <memory>

#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::net {

enum class OverflowKind : std::uint8_t { none, max_connections, max_pending, max_requests };

// Counts one open upstream connection for as long as it lives (idle in the pool included).
// Owns a reference to the counters: a pooled connection may outlive the snapshot it came from.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  ~ConnectionSlot() { release(); }
  ConnectionSlot(ConnectionSlot&& other) noexcept : runtime_(std::move(other.runtime_)) {}
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

  // A slot when the upstream is below max_connections (or has no limit), else an empty one.
  static ConnectionSlot try_open(const routing::Upstream& upstream);
  explicit operator bool() const { return runtime_ != nullptr; }

 private:
  void release();
  std::shared_ptr<routing::UpstreamRuntime> runtime_;
};

// Counts one request waiting for a connection; refuses beyond max_pending.
class PendingSlot {
 public:
  explicit PendingSlot(const routing::Upstream& upstream);
  ~PendingSlot();
  PendingSlot(const PendingSlot&) = delete;
  PendingSlot& operator=(const PendingSlot&) = delete;
  bool admitted() const { return admitted_; }

 private:
  routing::UpstreamRuntime* runtime_;
  bool admitted_ = false;
};

// Counts one request in flight when the upstream has max_requests; a no-op otherwise. The
// snapshot the request holds keeps the counters alive, so a raw pointer is enough.
class RequestSlot {
 public:
  explicit RequestSlot(const routing::Upstream& upstream);
  ~RequestSlot();
  RequestSlot(const RequestSlot&) = delete;
  RequestSlot& operator=(const RequestSlot&) = delete;
  bool admitted() const { return admitted_; }

 private:
  routing::UpstreamRuntime* runtime_ = nullptr;  // null: not counted
  bool admitted_ = true;
};

// Bumps switchyard_upstream_overflow_total{upstream,kind}.
void count_overflow(const routing::Upstream& upstream, OverflowKind kind);

}  // namespace switchyard::proxy::net
