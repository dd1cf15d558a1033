#pragma once
// Worker: one data-plane thread with its own io_context, its own acceptors (SO_REUSEPORT),
// its own upstream pool, random source and routing cache. Everything a request touches lives
// here and is used by this thread only, so the request path takes no lock.
// Thread-safe entry points: begin_drain(), stop(), active_connections().

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <unordered_set>
#include <vector>

#include "config/proxy_config.hpp"
#include "proxy/net/buffer_pool.hpp"
#include "proxy/net/pool_purge.hpp"
#include "proxy/net/upstream_pool.hpp"
#include "proxy/routing/fast_random.hpp"
#include "proxy/routing/route_table_publisher.hpp"

namespace switchyard::proxy::stats {
class StatsRegistry;
class WorkerStats;
}  // namespace switchyard::proxy::stats

namespace switchyard::proxy::net {

class ClientConnection;
class TlsContextStore;

class ListenerGate;

struct WorkerSettings {
  config::Timeouts timeouts;
  config::LimitsConfig limits;
  stats::StatsRegistry* stats = nullptr;  // null: requests are not measured (tests, tools)
  std::size_t max_idle_upstream_per_endpoint = 1024;
  const TlsContextStore* tls = nullptr;  // null: every listener is plain
};

class Worker {
 public:
  Worker(unsigned index, WorkerSettings settings, const routing::RouteTablePublisher& publisher);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  boost::asio::io_context& io() { return *io_; }
  // Before run(): hands over a bound, listening acceptor of listener number `listener` (its index
  // in the configuration) with that listener's gate (may be null). A worker may own several
  // acceptors of one listener (hand-over).
  void add_acceptor(boost::asio::ip::tcp::acceptor acceptor, std::size_t listener, ListenerGate* gate);
  // Thread body: accepts and serves until stop().
  void run();

  void begin_drain();  // stop accepting; close idle connections; finish in-flight requests
  void stop();
  std::size_t active_connections() const { return active_.load(std::memory_order_relaxed); }

  // Worker-local accessors for sessions.
  unsigned index() const { return index_; }
  const config::Timeouts& timeouts() const { return settings_.timeouts; }
  const TlsContextStore* tls() const { return settings_.tls; }
  const config::LimitsConfig& limits() const { return settings_.limits; }
  bool draining() const { return draining_; }
  routing::RouteTableCache& routes() { return routes_; }
  routing::FastRandom& random() { return random_; }
  UpstreamPool& upstream_pool() { return pool_; }
  BufferPool& buffers() { return buffers_; }
  // This worker's statistics shard, or null when measurement is off.
  stats::WorkerStats* stats() { return stats_; }
  // Round-robin start position for an upstream's endpoints.
  std::uint32_t next_endpoint(std::uint32_t upstream_index);

  void attach(ClientConnection* connection);
  void detach(ClientConnection* connection);

 private:
  void start_accepting();
  void schedule_pool_expiry();
  // Acts on begin_drain()/stop() from other threads, then polls again after kRequestPoll.
  void poll_requests();
  void drain_now();

  unsigned index_;
  WorkerSettings settings_;
  // Destroyed explicitly first in ~Worker(): pending coroutine frames reference the members below.
  std::unique_ptr<boost::asio::io_context> io_;
  std::vector<boost::asio::ip::tcp::acceptor> acceptors_;
  std::vector<std::size_t> acceptor_listeners_;  // the listener index of each acceptor
  std::vector<ListenerGate*> gates_;  // parallel to acceptors_
  routing::RouteTableCache routes_;
  routing::FastRandom random_;
  UpstreamPool pool_;
  PoolPurge pool_purge_;
  BufferPool buffers_;
  std::vector<std::uint32_t> round_robin_;
  std::unordered_set<ClientConnection*> connections_;
  std::atomic<std::size_t> active_{0};
  bool draining_ = false;
  // Requests from other threads, seen by the worker's own poll (control_timer_): its io_context
  // runs without any locking, so nothing may be posted to it from outside.
  std::atomic<bool> drain_requested_{false};
  std::atomic<bool> stop_requested_{false};
  struct Timer;
  std::unique_ptr<Timer> expiry_timer_;
  std::unique_ptr<Timer> control_timer_;
  stats::WorkerStats* stats_ = nullptr;
};

}  // namespace switchyard::proxy::net
