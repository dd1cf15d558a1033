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
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

#include "common/fd_limit.hpp"
#include "common/version.hpp"
#include "config/load_proxy_config.hpp"
#include "proxy/admin/admin_server.hpp"
#include "proxy/admin/config_reload.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/guard_ticker.hpp"
#include "proxy/admin/handlers.hpp"
#include "proxy/net/data_plane.hpp"
#include "proxy/routing/route_table.hpp"
#include "proxy/routing/route_table_publisher.hpp"
#include "proxy/stats/stats_registry.hpp"

namespace {
namespace asio = boost::asio;
using namespace switchyard;

constexpr int kExitBadConfig = 2;
constexpr int kExitRuntime = 1;

void print_help() {
  std::cout << "usage: switchyard-proxy --config FILE [--check] [--log-level LEVEL]\n"
               "\n"
               "A traffic-shifting reverse proxy: splits each route's traffic between versions by weight.\n"
               "\n"
               "  --config FILE   proxy configuration (YAML; see docs/configuration-proxy.md)\n"
               "  --check         validate the configuration and exit (0 = valid, 2 = invalid)\n"
               "  --log-level L   trace, debug, info (default), warn, error or off\n"
               "  --help          this text\n"
               "  --version       print the version\n"
               "\n"
               "Signals: SIGTERM/SIGINT stop accepting, finish in-flight requests (timeouts.drain_ms), exit 0.\n"
               "         SIGHUP re-reads the configuration file (a bad file is refused and logged).\n";
}

struct Options {
  std::string config_path;
  bool check_only = false;
  spdlog::level::level_enum log_level = spdlog::level::info;
};

// spdlog's own from_str() maps unknown names to "off": a typo would silence the logs.
bool parse_log_level(std::string_view name, spdlog::level::level_enum& out) {
  using spdlog::level::level_enum;
  constexpr std::pair<std::string_view, level_enum> kLevels[] = {
      {"trace", level_enum::trace}, {"debug", level_enum::debug}, {"info", level_enum::info},
      {"warn", level_enum::warn},   {"error", level_enum::err},   {"off", level_enum::off}};
  for (const auto& [text, level] : kLevels) {
    if (name == text) {
      out = level;
      return true;
    }
  }
  std::cerr << "switchyard-proxy: --log-level: unknown level '" << name
            << "' (trace, debug, info, warn, error, off)\n";
  return false;
}

// Returns an exit code to leave with, or -1 to continue.
int parse_args(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      print_help();
      return 0;
    }
    if (arg == "--version") {
      std::cout << "switchyard-proxy " << version() << "\n";
      return 0;
    }
    if (arg == "--check") {
      options.check_only = true;
    } else if (arg == "--config" && i + 1 < argc) {
      options.config_path = argv[++i];
    } else if (arg.starts_with("--config=")) {
      options.config_path = std::string(arg.substr(9));
    } else if (arg == "--log-level" && i + 1 < argc) {
      if (!parse_log_level(argv[++i], options.log_level)) return kExitBadConfig;
    } else if (arg.starts_with("--log-level=")) {
      if (!parse_log_level(arg.substr(12), options.log_level)) return kExitBadConfig;
    } else {
      std::cerr << "switchyard-proxy: unknown or incomplete argument '" << arg << "' (see --help)\n";
      return kExitBadConfig;
    }
  }
  if (options.config_path.empty()) {
    std::cerr << "switchyard-proxy: --config FILE is required (see --help)\n";
    return kExitBadConfig;
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

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (int code = parse_args(argc, argv, options); code >= 0) return code;

  auto loaded = config::load_proxy_config_file(options.config_path);
  if (auto* error = std::get_if<config::ConfigError>(&loaded)) {
    std::cerr << error->message << "\n";
    return kExitBadConfig;
  }
  const config::ProxyConfig proxy_config = std::get<config::ProxyConfig>(std::move(loaded));
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
  spdlog::info("open-file limit: {} (soft limit was {})", fds.after, fds.before);

  // One statistics shard per worker (the same count DataPlane starts); every table, the first
  // included, numbers its versions in it so that they are counted from the first request.
  proxy::stats::StatsRegistry stats(proxy::net::resolve_worker_count(proxy_config.workers));
  proxy::routing::RouteTablePublisher publisher(proxy::routing::RouteTable::build(
      proxy_config, nullptr, 1, proxy::admin::stats_slot_assigner(&stats)));
  proxy::net::DataPlane data_plane(proxy_config, publisher, &stats);
  std::string error;
  if (!data_plane.bind(error)) {
    std::cerr << "switchyard-proxy: " << error << "\n";
    return kExitRuntime;
  }

  asio::io_context control{1};
  proxy::admin::ControlState state(proxy_config, publisher, &stats);
  state.set_config_path(options.config_path);
  proxy::admin::AdminServer admin_server(control, state, proxy_config.admin);
  admin_server.context().connections_active = [&data_plane] {
    return static_cast<std::uint64_t>(data_plane.active_connections());
  };
  proxy::admin::GuardTicker guard_ticker(control, state, stats);
  std::string admin_address;
  try {
    admin_address = admin_server.start();
  } catch (const std::exception& e) {
    std::cerr << "switchyard-proxy: admin: " << e.what() << "\n";
    return kExitRuntime;
  }

  data_plane.start();
  guard_ticker.start();

  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, exit 0. SIGHUP reloads the file.
  std::optional<DrainWatch> drain;
  asio::signal_set stop_signals(control, SIGINT, SIGTERM);
  stop_signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: draining (at most {} ms)", signal, proxy_config.timeouts.drain_ms);
    admin_server.stop();
    guard_ticker.stop();
    data_plane.begin_drain();
    drain.emplace(control, data_plane, std::chrono::milliseconds(proxy_config.timeouts.drain_ms));
    drain->poll();
  });
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
