#pragma once
// TlsContextStore: the TLS contexts in force, one per listener (null for a plain listener).
// Thread-safe: the control thread publishes a new set at start and at each reload (certificates
// re-read); a worker takes its listener's context once per accepted connection, which keeps it
// for its whole life, so a reload affects new handshakes only.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "config/proxy_config.hpp"
#include "proxy/net/tls_server_context.hpp"

namespace switchyard::proxy::net {

class TlsContextStore {
 public:
  using Set = std::vector<std::shared_ptr<const TlsServerContext>>;  // by listener index

  // Reads every TLS listener's certificates; null with `error` = "<key path>: <what>" on failure.
  static std::shared_ptr<const Set> build(const std::vector<config::ListenerConfig>& listeners, std::string& error);

  void publish(std::shared_ptr<const Set> set) { set_.store(std::move(set), std::memory_order_release); }
  std::shared_ptr<const TlsServerContext> for_listener(std::size_t index) const;

 private:
  std::atomic<std::shared_ptr<const Set>> set_;
};

// Failed TLS handshakes since start (all workers): switchyard_tls_handshake_errors_total.
std::uint64_t tls_handshake_errors();
void count_tls_handshake_error();

}  // namespace switchyard::proxy::net
