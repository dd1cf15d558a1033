#include "proxy/net/data_plane.hpp"

#include <spdlog/spdlog.h>

#include "proxy/net/listener.hpp"
#include "proxy/net/listener_assignment.hpp"
#include "proxy/net/listener_gate.hpp"
#include "proxy/net/worker.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

unsigned resolve_worker_count(std::uint32_t configured) {
  if (configured > 0) return configured;
  unsigned cores = std::thread::hardware_concurrency();
  return cores ? cores : 1;
}

DataPlane::DataPlane(const config::ProxyConfig& config, const routing::RouteTablePublisher& publisher,
                     stats::StatsRegistry* stats, const TlsContextStore* tls)
    : config_(config) {
  WorkerSettings settings;
  settings.tls = tls;
  settings.timeouts = config.timeouts;
  settings.limits = config.limits;
  settings.stats = stats;
  const unsigned count = resolve_worker_count(config.workers);
  for (unsigned i = 0; i < count; ++i) workers_.push_back(std::make_unique<Worker>(i, settings, publisher));
}

DataPlane::~DataPlane() { stop_and_join(); }

bool DataPlane::bind(std::string& error, std::vector<InheritedSocket> inherited) {
  for (std::size_t index = 0; index < config_.listeners.size(); ++index) {
    config::HostPort address = config_.listeners[index].address;
    gates_.push_back(std::make_unique<ListenerGate>(config_.listeners[index].max_connections));
    if (auto matching = take_matching(inherited, address); !matching.empty()) {
      spdlog::info("listener {}: accepting on {} inherited sockets", address.to_string(), matching.size());
      if (!assign_listening_sockets(std::move(matching), index, gates_.back().get(), workers_, listening_fds_, error)) {
        close_all(inherited);
        return false;
      }
      bound_.push_back(address.to_string());
      continue;
    }
    // One socket per listener, its queue shared by every worker (dup), which the workers balance
    // between them: SO_REUSEPORT's hash would split 64 connections 29/35 and the like.
    tcp::acceptor acceptor(workers_.front()->io());
    if (!open_acceptor(acceptor, address, error)) return false;
    address.port = acceptor.local_endpoint().port();  // a port-0 listener's port
    InheritedSocket socket;
    socket.local = acceptor.local_endpoint();
    socket.fd = acceptor.release();
    if (!assign_listening_sockets({socket}, index, gates_.back().get(), workers_, listening_fds_, error))
      return false;
    bound_.push_back(address.to_string());
  }
  // Sockets for listeners this configuration no longer has: their queued connections are lost.
  for (const auto& socket : inherited)
    spdlog::warn("inherited socket {}:{} matches no listener: closed", socket.local.address().to_string(),
                 socket.local.port());
  close_all(inherited);
  return true;
}

void DataPlane::start() {
  for (auto& worker : workers_) {
    std::vector<const Worker*> peers;
    for (const auto& other : workers_)
      if (other != worker) peers.push_back(other.get());
    worker->set_peers(std::move(peers));
  }
  for (auto& worker : workers_) threads_.emplace_back([w = worker.get()] { w->run(); });
}

void DataPlane::begin_drain() {
  for (auto& worker : workers_) worker->begin_drain();
}

std::size_t DataPlane::active_connections() const {
  std::size_t total = 0;
  for (const auto& worker : workers_) total += worker->active_connections();
  return total;
}

std::vector<std::uint64_t> DataPlane::worker_connections() const {
  std::vector<std::uint64_t> counts;
  for (const auto& worker : workers_) counts.push_back(worker->active_connections());
  return counts;
}

std::vector<ListenerFigures> DataPlane::listener_figures() const {
  std::vector<ListenerFigures> figures;
  for (std::size_t i = 0; i < bound_.size() && i < gates_.size(); ++i)
    figures.push_back({bound_[i], gates_[i]->open(), gates_[i]->pauses()});
  return figures;
}

void DataPlane::stop_and_join() {
  for (auto& worker : workers_) worker->stop();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

}  // namespace switchyard::proxy::net
