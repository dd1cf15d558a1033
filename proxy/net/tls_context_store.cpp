#include "proxy/net/tls_context_store.hpp"

namespace switchyard::proxy::net {
namespace {
std::atomic<std::uint64_t> g_handshake_errors{0};
}

std::shared_ptr<const TlsContextStore::Set> TlsContextStore::build(const std::vector<config::ListenerConfig>& listeners,
                                                                   std::string& error) {
  auto set = std::make_shared<Set>(listeners.size());
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    if (!listeners[i].tls) continue;
    (*set)[i] = TlsServerContext::build(*listeners[i].tls, "listeners[" + std::to_string(i) + "].tls", error);
    if (!(*set)[i]) return nullptr;
  }
  return set;
}

std::shared_ptr<const TlsServerContext> TlsContextStore::for_listener(std::size_t index) const {
  auto set = set_.load(std::memory_order_acquire);
  if (!set || index >= set->size()) return nullptr;
  return (*set)[index];
}

std::uint64_t tls_handshake_errors() { return g_handshake_errors.load(std::memory_order_relaxed); }
void count_tls_handshake_error() { g_handshake_errors.fetch_add(1, std::memory_order_relaxed); }

}  // namespace switchyard::proxy::net
