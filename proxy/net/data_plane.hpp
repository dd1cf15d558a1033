#pragma once
// DataPlane: the set of workers and their threads. Created, started, drained and stopped from
// the control thread; the workers themselves run on their own threads.

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config/proxy_config.hpp"
#include "proxy/net/inherited_socket.hpp"
#include "proxy/net/listener_figures.hpp"
#include "proxy/routing/route_table_publisher.hpp"

namespace switchyard::proxy::stats {
class StatsRegistry;
}

namespace switchyard::proxy::net {

class Worker;
class TlsContextStore;

// The number of workers a `workers:` setting means (0 = one per core).
unsigned resolve_worker_count(std::uint32_t configured);

class ListenerGate;

class DataPlane {
 public:
  // `stats` (may be null) receives every worker's measurements; it must outlive the DataPlane.
  // `tls` (may be null: no TLS listener) holds the listeners' TLS contexts; it must outlive the DataPlane.
  DataPlane(const config::ProxyConfig& config, const routing::RouteTablePublisher& publisher,
            stats::StatsRegistry* stats = nullptr, const TlsContextStore* tls = nullptr);
  ~DataPlane();
  DataPlane(const DataPlane&) = delete;
  DataPlane& operator=(const DataPlane&) = delete;

  // Binds every listener once per worker (SO_REUSEPORT). A listener on port 0 gets one port from
  // the OS that all workers then share. Returns false with `error` set if any bind fails.
  // A listener whose address matches `inherited` sockets (hand-over, socket activation) uses
  // those instead, spread over the workers (see listener_assignment.hpp); the others are closed.
  bool bind(std::string& error, std::vector<InheritedSocket> inherited = {});
  // Every listening descriptor the workers accept on (to hand over to a successor). Valid until
  // begin_drain().
  const std::vector<int>& listening_fds() const { return listening_fds_; }
  // "host:port" of each listener as bound, in configuration order.
  const std::vector<std::string>& bound_addresses() const { return bound_; }
  unsigned worker_count() const { return static_cast<unsigned>(workers_.size()); }

  void start();
  void begin_drain();
  std::size_t active_connections() const;
  // Each bound listener's gate figures, in configuration order. Any thread, after bind().
  std::vector<ListenerFigures> listener_figures() const;
  void stop_and_join();

 private:
  const config::ProxyConfig& config_;
  // Before workers_: connections still count themselves out while the workers are destroyed.
  std::vector<std::unique_ptr<ListenerGate>> gates_;  // one per listener
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::vector<std::string> bound_;
  std::vector<int> listening_fds_;
};

}  // namespace switchyard::proxy::net
