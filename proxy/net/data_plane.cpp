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
      if (!assign_inherited(std::move(matching), index, gates_.back().get(), workers_, listening_fds_, error)) {
        close_all(inherited);
        return false;
      }
      bound_.push_back(address.to_string());
      continue;
    }
    for (auto& worker : workers_) {
      tcp::acceptor acceptor(worker->io());
      if (!open_acceptor(acceptor, address, error)) return false;
      // The first bind of a port-0 listener fixes the port the other workers share.
      address.port = acceptor.local_endpoint().port();
      listening_fds_.push_back(acceptor.native_handle());
      worker->add_acceptor(std::move(acceptor), index, gates_.back().get());
    }
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
