// switchyard-proxy: wires the configuration, the data plane workers and the control thread
// (admin API, signals, drain) together. Logic lives in the libraries.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

#include "common/daemon_args.hpp"
#include "common/fd_limit.hpp"
#include "common/version.hpp"
#include "config/load_proxy_config.hpp"
#include "proxy/admin/admin_auth.hpp"
#include "proxy/admin/admin_server.hpp"
#include "proxy/admin/config_reload.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/guard_ticker.hpp"
#include "proxy/admin/handlers.hpp"
#include "proxy/admin/health_monitor.hpp"
#include "proxy/net/data_plane.hpp"
#include "proxy/net/listener_handover.hpp"
#include "proxy/net/systemd_listen_fds.hpp"
#include "proxy/net/tls_context_store.hpp"
#include "proxy/routing/route_table.hpp"
#include "proxy/routing/route_table_publisher.hpp"
#include "proxy/stats/stats_registry.hpp"

namespace {
namespace asio = boost::asio;
using namespace switchyard;

constexpr int kExitBadConfig = 2;
constexpr int kExitRuntime = 1;
// Descriptors the kernel's table holds from the start (see common/fd_limit.hpp): 64 Ki slots,
// 512 KiB of kernel memory, cover 30,000 proxied connections; beyond that it grows as usual.
constexpr std::uint64_t kDescriptorTableReserve = 65536;

void print_help() {
  std::cout << "usage: switchyard-proxy --config FILE [--check] [--log-level LEVEL] [--handover-socket PATH]\n"
               "\n"
               "A traffic-shifting reverse proxy: splits each route's traffic between versions by weight.\n"
               "\n"
               "  --config FILE   proxy configuration (YAML; see docs/configuration-proxy.md)\n"
               "  --check         validate the configuration and exit (0 = valid, 2 = invalid)\n"
               "  --log-level L   trace, debug, info (default), warn, error or off\n"
               "  --handover-socket PATH\n"
               "                  restart without dropping connections: take the listening sockets of\n"
               "                  the proxy serving PATH (which then drains and exits), then serve PATH\n"
               "  --help          this text\n"
               "  --version       print the version\n"
               "\n"
               "Signals: SIGTERM/SIGINT stop accepting, finish in-flight requests (timeouts.drain_ms), exit 0.\n"
               "         SIGHUP re-reads the configuration file (a bad file is refused and logged).\n"
               "Listening sockets passed by systemd (LISTEN_FDS/LISTEN_PID) are used for matching listeners.\n";
}

// Returns an exit code to leave with, or -1 to continue.
int parse_args(int argc, char** argv, DaemonArgs& args) {
  args = parse_daemon_args(argc, argv, {"--handover-socket"});
  switch (args.outcome) {
    case DaemonArgs::Outcome::help: print_help(); return 0;
    case DaemonArgs::Outcome::version: std::cout << "switchyard-proxy " << version() << "\n"; return 0;
    case DaemonArgs::Outcome::bad: std::cerr << "switchyard-proxy: " << args.error << "\n"; return kExitBadConfig;
    case DaemonArgs::Outcome::run: return -1;
  }
  return -1;
}

// Polls the data plane until no connection is left or the drain timeout passed, then stops the
// control loop. Control-thread only.
class DrainWatch {
 public:
  DrainWatch(asio::io_context& control, proxy::net::DataPlane& data_plane, std::chrono::milliseconds timeout)
      : control_(control), data_plane_(data_plane), timer_(control),
        deadline_(std::chrono::steady_clock::now() + timeout) {}

  void poll() {
    const auto open = data_plane_.active_connections();
    if (open == 0 || std::chrono::steady_clock::now() >= deadline_) {
      if (open != 0) spdlog::warn("drain timeout: closing {} connections still open", open);
      control_.stop();
      return;
    }
    timer_.expires_after(std::chrono::milliseconds(10));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) poll();
    });
  }

 private:
  asio::io_context& control_;
  proxy::net::DataPlane& data_plane_;
  asio::steady_timer timer_;
  std::chrono::steady_clock::time_point deadline_;
};

// After a hand-over the old process frees a fixed admin address only when it starts draining:
// retry (bounded) instead of failing while it does.
bool start_admin(proxy::admin::AdminServer& server, bool after_handover, std::string& address) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(after_handover ? 3 : 0);
  for (;;) {
    try {
      address = server.start();
      return true;
    } catch (const std::exception& e) {
      if (std::chrono::steady_clock::now() >= deadline) {
        std::cerr << "switchyard-proxy: admin: " << e.what() << "\n";
        return false;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

int main(int argc, char** argv) {
  DaemonArgs options;
  if (int code = parse_args(argc, argv, options); code >= 0) return code;
  const std::string handover_path = options.values["--handover-socket"];

  auto loaded = config::load_proxy_config_file(options.config_path);
  if (auto* error = std::get_if<config::ConfigError>(&loaded)) {
    std::cerr << error->message << "\n";
    return kExitBadConfig;
  }
  const config::ProxyConfig proxy_config = std::get<config::ProxyConfig>(std::move(loaded));
  // Certificates are part of the configuration: unreadable or mismatched ones are config errors.
  proxy::net::TlsContextStore tls_store;
  {
    std::string tls_error;
    auto contexts = proxy::net::TlsContextStore::build(proxy_config.listeners, tls_error);
    if (!contexts) {
      std::cerr << options.config_path << ": " << tls_error << "\n";
      return kExitBadConfig;
    }
    tls_store.publish(std::move(contexts));
  }
  // The admin token too: a missing or empty file is a config error, found by --check as well.
  if (!proxy_config.admin.token_file.empty()) {
    std::string token_error;
    if (!proxy::admin::BearerToken::load(proxy_config.admin.token_file, token_error)) {
      std::cerr << options.config_path << ": admin.token_file: " << token_error << "\n";
      return kExitBadConfig;
    }
  }
  if (options.check_only) {
    std::cout << options.config_path << ": ok\n";
    return 0;
  }
  spdlog::set_default_logger(spdlog::stderr_color_mt("switchyard"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(options.log_level);
  spdlog::info("switchyard-proxy {} starting with {} ({} listeners, {} upstreams, {} routes)", version(),
               options.config_path, proxy_config.listeners.size(), proxy_config.upstreams.size(),
               proxy_config.routes.size());
  const FdLimit fds = raise_fd_limit();
  const std::uint64_t reserved = reserve_descriptor_table(kDescriptorTableReserve);
  spdlog::info("open-file limit: {} (soft limit was {}); descriptor table sized for {}", fds.after, fds.before,
               reserved);

  // One statistics shard per worker (the same count DataPlane starts); every table, the first
  // included, numbers its versions in it so that they are counted from the first request.
  proxy::stats::StatsRegistry stats(proxy::net::resolve_worker_count(proxy_config.workers));
  proxy::routing::RouteTablePublisher publisher(proxy::routing::RouteTable::build(
      proxy_config, nullptr, 1, proxy::admin::stats_slot_assigner(&stats)));
  proxy::net::DataPlane data_plane(proxy_config, publisher, &stats, &tls_store);
  std::string error;
  // Listening sockets from systemd or from the process we take over from (see deploy/README.md).
  std::vector<proxy::net::InheritedSocket> inherited;
  proxy::net::HandoverClient handover_client;
  if (!proxy::net::take_systemd_listen_fds(inherited, error) ||
      (!handover_path.empty() && !handover_client.receive(handover_path, inherited, error))) {
    std::cerr << "switchyard-proxy: " << error << "\n";
    return kExitRuntime;
  }
  if (!data_plane.bind(error, std::move(inherited))) {
    std::cerr << "switchyard-proxy: " << error << "\n";
    return kExitRuntime;
  }

  asio::io_context control{1};
  proxy::admin::ControlState state(proxy_config, publisher, &stats);
  state.set_config_path(options.config_path);
  // Listeners keep their running settings across reloads, but their certificate files are re-read:
  // new handshakes use the new ones, open connections keep theirs.
  state.set_file_reloader([&](std::string& error) -> std::function<void()> {
    auto contexts = proxy::net::TlsContextStore::build(proxy_config.listeners, error);
    if (!contexts) return {};
    return [&tls_store, contexts] { tls_store.publish(contexts); };
  });
  proxy::admin::AdminServer admin_server(control, state, proxy_config.admin);
  admin_server.context().connections_active = [&data_plane] {
    return static_cast<std::uint64_t>(data_plane.active_connections());
  };
  admin_server.context().listener_figures = [&data_plane] { return data_plane.listener_figures(); };
  proxy::admin::GuardTicker guard_ticker(control, state, stats);
  proxy::admin::HealthMonitor health_monitor(control, state);
  std::string admin_address;
  const bool taking_over = handover_client.connected();
  if (!taking_over && !start_admin(admin_server, false, admin_address)) return kExitRuntime;
  data_plane.start();
  // The workers own the shared sockets now: the old process may stop accepting and drain.
  handover_client.release();
  if (taking_over && !start_admin(admin_server, true, admin_address)) return kExitRuntime;
  guard_ticker.start();
  health_monitor.start();

  // SIGTERM/SIGINT (or a successor taking the listeners over): stop accepting, finish in-flight
  // requests, exit 0. SIGHUP reloads the file.
  std::optional<DrainWatch> drain;
  std::optional<proxy::net::HandoverServer> handover_server;
  auto start_drain = [&](const std::string& why) {
    if (drain) return;
    spdlog::info("{}: draining (at most {} ms)", why, proxy_config.timeouts.drain_ms);
    if (handover_server) handover_server->stop();
    admin_server.stop();
    guard_ticker.stop();
    health_monitor.stop();
    data_plane.begin_drain();
    drain.emplace(control, data_plane, std::chrono::milliseconds(proxy_config.timeouts.drain_ms));
    drain->poll();
  };
  asio::signal_set stop_signals(control, SIGINT, SIGTERM);
  stop_signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (!ec) start_drain("signal " + std::to_string(signal));
  });
  if (!handover_path.empty()) {
    handover_server.emplace(control, handover_path, data_plane.listening_fds(),
                            [&] { start_drain("handed over"); });
    if (!handover_server->start(error)) {
      std::cerr << "switchyard-proxy: " << error << "\n";
      return kExitRuntime;
    }
  }
  asio::signal_set hangup(control, SIGHUP);
  std::function<void(boost::system::error_code, int)> on_hangup = [&](boost::system::error_code ec, int) {
    if (ec) return;
    // Same path as POST /v1/config/reload; the outcome is logged, counted and recorded there.
    spdlog::info("SIGHUP: reloading {}", options.config_path);
    state.set_origin("SIGHUP");
    proxy::admin::reload_config_file(state);
    state.set_origin({});
    hangup.async_wait(on_hangup);
  };
  hangup.async_wait(on_hangup);
  // Announced only now that the signals are handled: a script may signal as soon as it reads this.
  for (const auto& address : data_plane.bound_addresses()) {
    std::cout << "switchyard-proxy listening on " << address << std::endl;
    spdlog::info("listening on {}", address);
  }
  std::cout << "switchyard-proxy admin on " << admin_address << std::endl;
  spdlog::info("serving with {} workers, {} routes", data_plane.worker_count(), proxy_config.routes.size());
  control.run();
  data_plane.stop_and_join();
  spdlog::info("stopped");
  return 0;
}
