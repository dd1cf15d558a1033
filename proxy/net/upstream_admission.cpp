#include "proxy/net/upstream_admission.hpp"

namespace switchyard::proxy::net {
namespace {
constexpr auto relaxed = std::memory_order_relaxed;
}

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& other) noexcept {
  if (this != &other) {
    release();
    runtime_ = std::move(other.runtime_);
  }
  return *this;
}

ConnectionSlot ConnectionSlot::try_open(const routing::Upstream& upstream) {
  ConnectionSlot slot;
  if (!upstream.runtime) return slot;
  auto& counter = upstream.runtime->connections;
  // Counted even without a limit, so that one set later by PUT /v1/upstreams sees every connection.
  const auto before = counter.fetch_add(1, relaxed);
  if (upstream.max_connections != 0 && before >= upstream.max_connections) {
    counter.fetch_sub(1, relaxed);
    return slot;
  }
  slot.runtime_ = upstream.runtime;
  return slot;
}

void ConnectionSlot::release() {
  if (runtime_) runtime_->connections.fetch_sub(1, relaxed);
  runtime_.reset();
}

PendingSlot::PendingSlot(const routing::Upstream& upstream) : runtime_(upstream.runtime.get()) {
  if (runtime_ == nullptr || upstream.max_pending == 0) return;
  const auto before = runtime_->pending.fetch_add(1, relaxed);
  admitted_ = before < upstream.max_pending;
  if (!admitted_) runtime_->pending.fetch_sub(1, relaxed);
}

PendingSlot::~PendingSlot() {
  if (admitted_) runtime_->pending.fetch_sub(1, relaxed);
}

RequestSlot::RequestSlot(const routing::Upstream& upstream) {
  if (upstream.max_requests == 0 || !upstream.runtime) return;
  auto& counter = upstream.runtime->requests;
  if (counter.fetch_add(1, relaxed) >= upstream.max_requests) {
    counter.fetch_sub(1, relaxed);
    admitted_ = false;
    return;
  }
  runtime_ = upstream.runtime.get();
}

RequestSlot::~RequestSlot() {
  if (runtime_ != nullptr) runtime_->requests.fetch_sub(1, relaxed);
}

void count_overflow(const routing::Upstream& upstream, OverflowKind kind) {
  if (!upstream.runtime) return;
  switch (kind) {
    case OverflowKind::max_connections: upstream.runtime->overflow_connections.fetch_add(1, relaxed); break;
    case OverflowKind::max_pending: upstream.runtime->overflow_pending.fetch_add(1, relaxed); break;
    case OverflowKind::max_requests: upstream.runtime->overflow_requests.fetch_add(1, relaxed); break;
    case OverflowKind::none: break;
  }
}

}  // namespace switchyard::proxy::net
