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
#include <variant>

#include "common/version.hpp"
#include "config/load_proxy_config.hpp"
#include "proxy/admin/admin_server.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/net/data_plane.hpp"
#include "proxy/routing/route_table.hpp"
#include "proxy/routing/route_table_publisher.hpp"

namespace {
namespace asio = boost::asio;
using namespace switchyard;

constexpr int kExitBadConfig = 2;
constexpr int kExitRuntime = 1;

void print_help() {
  std::cout << "usage: switchyard-proxy --config FILE [--check]\n"
               "\n"
               "A traffic-shifting reverse proxy: splits each route's traffic between versions by weight.\n"
               "\n"
               "  --config FILE   proxy configuration (YAML; see docs/configuration-proxy.md)\n"
               "  --check         validate the configuration and exit (0 = valid, 2 = invalid)\n"
               "  --help          this text\n"
               "  --version       print the version\n"
               "\n"
               "Signals: SIGTERM/SIGINT stop accepting, finish in-flight requests (timeouts.drain_ms), exit 0.\n";
}

struct Options {
  std::string config_path;
  bool check_only = false;
};

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

  proxy::routing::RouteTablePublisher publisher(proxy::routing::RouteTable::build(proxy_config, nullptr, 1));
  proxy::net::DataPlane data_plane(proxy_config, publisher);
  std::string error;
  if (!data_plane.bind(error)) {
    std::cerr << "switchyard-proxy: " << error << "\n";
    return kExitRuntime;
  }

  asio::io_context control{1};
  proxy::admin::ControlState state(proxy_config, publisher);
  proxy::admin::AdminServer admin_server(control, state, proxy_config.admin);
  std::string admin_address;
  try {
    admin_address = admin_server.start();
  } catch (const std::exception& e) {
    std::cerr << "switchyard-proxy: admin: " << e.what() << "\n";
    return kExitRuntime;
  }

  data_plane.start();
  for (const auto& address : data_plane.bound_addresses())
    std::cout << "switchyard-proxy listening on " << address << std::endl;
  std::cout << "switchyard-proxy admin on " << admin_address << std::endl;
  spdlog::info("serving with {} workers, {} routes", data_plane.worker_count(), proxy_config.routes.size());

  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, exit 0. SIGHUP is taken so that it
  // does not kill the process (reloads arrive with a later issue).
  std::optional<DrainWatch> drain;
  asio::signal_set stop_signals(control, SIGINT, SIGTERM);
  stop_signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: draining (at most {} ms)", signal, proxy_config.timeouts.drain_ms);
    admin_server.stop();
    data_plane.begin_drain();
    drain.emplace(control, data_plane, std::chrono::milliseconds(proxy_config.timeouts.drain_ms));
    drain->poll();
  });
  asio::signal_set hangup(control, SIGHUP);
  std::function<void(boost::system::error_code, int)> on_hangup = [&](boost::system::error_code ec, int) {
    if (ec) return;
    spdlog::warn("SIGHUP: configuration reload is not supported yet; keeping the running configuration");
    hangup.async_wait(on_hangup);
  };
  hangup.async_wait(on_hangup);
  control.run();
  data_plane.stop_and_join();
  spdlog::info("stopped");
  return 0;
}
