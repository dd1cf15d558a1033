// switchyard-controller: wires the configuration, the state store, the rollout engine (with its
// worker thread), the proxies' event followers and the JSON API together. Logic lives in the
// libraries (controller/engine, controller/api, ...).

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/daemon_args.hpp"
#include "common/version.hpp"
#include "config/load_controller_config.hpp"
#include "controller/api/api_server.hpp"
#include "controller/dashboard/stats_sampler.hpp"
#include "controller/drift/drift_detector.hpp"
#include "controller/drift/drift_journal.hpp"
#include "controller/engine/action_executor.hpp"
#include "controller/engine/config_reload.hpp"
#include "controller/engine/notifier.hpp"
#include "controller/engine/event_follower.hpp"
#include "controller/engine/rollout_engine.hpp"
#include "controller/secrets/secret_cipher.hpp"
#include "controller/secrets/secret_store.hpp"
#include "controller/store/state_store.hpp"

namespace {
namespace asio = boost::asio;
using namespace switchyard;

constexpr int kExitBadConfig = 2;
constexpr int kExitRuntime = 1;

void print_help() {
  std::cout << "usage: switchyard-controller --config FILE [--check] [--log-level LEVEL]\n"
               "\n"
               "Runs rollouts: deploys instances, shifts the proxies' weights, judges each step, rolls back.\n"
               "\n"
               "  --config FILE   controller configuration (YAML; SPEC section 6)\n"
               "  --check         validate the configuration and exit (0 = valid, 2 = invalid)\n"
               "  --log-level L   trace, debug, info (default), warn, error or off\n"
               "  --help, --version\n"
               "\n"
               "SIGHUP re-reads FILE and applies its `config:` overlays (other changes need a restart).\n";
}

// Returns an exit code to leave with, or -1 to continue (log level set).
int parse_args(int argc, char** argv, DaemonArgs& args) {
  args = parse_daemon_args(argc, argv);
  switch (args.outcome) {
    case DaemonArgs::Outcome::help: print_help(); return 0;
    case DaemonArgs::Outcome::version: std::cout << "switchyard-controller " << version() << "\n"; return 0;
    case DaemonArgs::Outcome::bad: std::cerr << "switchyard-controller: " << args.error << "\n"; return kExitBadConfig;
    case DaemonArgs::Outcome::run: break;
  }
  spdlog::set_level(args.log_level);
  return -1;
}

// SIGHUP: re-reads the file and applies its `config:` overlays (config_reload.hpp).
void watch_reloads(asio::signal_set& hup, const std::string& path, const config::ControllerConfig& cfg,
                   controller::engine::ConfigOverlays& overlays) {
  hup.async_wait([&hup, &path, &cfg, &overlays](const boost::system::error_code& ec, int) {
    if (ec) return;
    controller::engine::reload_overlays(path, cfg, overlays);
    watch_reloads(hup, path, cfg, overlays);
  });
}

// The secret store's key (docs/secrets.md): controller.secrets_key_file, else
// $SWITCHYARD_SECRETS_KEY. The variable is removed from our environment at once: instances and
// hooks inherit the controller's environment and must never see the key.
bool load_secrets_key(const config::ControllerSettings& settings, std::optional<controller::secrets::SecretKey>& key,
                      std::string& error) {
  const char* from_env = std::getenv("SWITCHYARD_SECRETS_KEY");
  std::string env_text = from_env ? from_env : "";
  ::unsetenv("SWITCHYARD_SECRETS_KEY");
  controller::secrets::KeyLoad loaded;
  if (!settings.secrets_key_file.empty()) {
    std::error_code ec;
    if (std::filesystem::equivalent(settings.secrets_key_file, settings.state, ec)) {
      error = "controller.secrets_key_file: must not be the state file";
      return false;
    }
    loaded = controller::secrets::key_from_file(settings.secrets_key_file);
  } else if (!env_text.empty()) {
    loaded = controller::secrets::key_from_hex(env_text, "SWITCHYARD_SECRETS_KEY");
  } else {
    return true;  // no key: secret calls answer 503
  }
  controller::secrets::wipe(env_text);
  error = loaded.error;
  key = std::move(loaded.key);
  return error.empty();
}

int run(const config::ControllerConfig& cfg, const std::string& config_path,
        std::optional<controller::secrets::SecretKey> key) {
  controller::store::StateStore state;
  if (auto status = state.open(cfg.controller.state); !status.ok()) {
    spdlog::error("{}", status.error);
    return kExitRuntime;
  }
  // Its own connection to the state file: the executor's worker resolves secrets too.
  controller::secrets::SecretStore secret_store;
  if (auto error = secret_store.open(cfg.controller.state, std::move(key)); !error.empty()) {
    spdlog::error("{}", error);
    return kExitRuntime;
  }
  if (auto why = secret_store.unavailable(); !why.empty()) spdlog::warn("secrets: {}", why);
  // Instance logs live next to the state file.
  const auto log_dir = (std::filesystem::path(cfg.controller.state).parent_path() / "instance-logs").string();
  asio::io_context control;
  controller::engine::ActionExecutor executor(cfg, log_dir);
  executor.set_secret_store(&secret_store);
  controller::engine::RolloutEngine engine(control, cfg, state, executor);
  // Drift (docs/drift.md): every controller change to a proxy is recorded from here on.
  controller::drift::DriftJournal drift_journal(engine);
  auto drift_registry = std::make_shared<controller::drift::DriftRegistry>(
      controller::drift::managed_routes(cfg), controller::drift::journal_sink(control, drift_journal));
  controller::drift::register_proxies(cfg, *drift_registry);
  controller::proxies::install_change_recorder(drift_registry);
  // Webhooks: the listener only enqueues; each webhook sends on its own thread.
  controller::engine::Notifier notifier(cfg.notifications);
  engine.add_event_listener([&notifier](const controller::store::EventRow& event) { notifier.notify(event); });
  controller::api::ApiServer api(control, engine);
  api.set_notifier(&notifier);
  // The dashboard's live charts: its own thread asks the proxies every second (docs/dashboard.md).
  controller::dashboard::StatsSampler sampler(cfg);
  api.set_sampler(&sampler);
  // A rotation starts config-only rollouts of the apps that use the secret (secret_rotation.cpp).
  api.set_secrets({&secret_store, [](const std::string& name, std::int64_t version) {
                     spdlog::info("secrets: {} rotated to version {}", name, version);
                   }});
  std::string bound;
  try {
    bound = api.start();
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return kExitRuntime;
  }
  engine.recover();
  sampler.start();
  controller::engine::EventFollower followers(
      cfg, [&control, &engine](const std::string& env, const std::string& route, const std::string& reason) {
        asio::post(control, [&engine, env, route, reason] { engine.guard_tripped(env, route, reason); });
      });
  controller::drift::DriftDetector drift_detector(cfg, *drift_registry);
  // Tests and scripts read the bound address (port 0 picks one) from this line.
  std::cout << "switchyard-controller listening on " << bound << std::endl;
  asio::signal_set hup(control, SIGHUP);
  watch_reloads(hup, config_path, cfg, executor.overlays());
  asio::signal_set signals(control, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    spdlog::info("stopping");
    api.stop();
    hup.cancel();
    control.stop();
  });
  control.run();
  sampler.stop();
  drift_detector.stop();
  followers.stop();
  controller::proxies::install_change_recorder(nullptr);
  return 0;
}

// The API token is part of the configuration: a missing or empty file is a config error (exit 2),
// found by --check too, not a failure at start-up.
bool token_file_readable(const std::string& path, std::string& error) {
  if (path.empty()) return true;
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) error = "cannot read '" + path + "'";
  else if (text.find_first_not_of(" \t\r\n") == std::string::npos) error = "'" + path + "' is empty";
  return error.empty();
}

}  // namespace

int main(int argc, char** argv) {
  DaemonArgs options;
  if (int code = parse_args(argc, argv, options); code >= 0) return code;
  auto loaded = config::load_controller_config_file(options.config_path);
  if (const auto* error = std::get_if<config::ConfigError>(&loaded)) {
    std::cerr << error->message << "\n";
    return kExitBadConfig;
  }
  const auto& cfg = std::get<config::ControllerConfig>(loaded);
  std::optional<controller::secrets::SecretKey> key;
  if (std::string error; !load_secrets_key(cfg.controller, key, error)) {
    std::cerr << options.config_path << ": " << error << "\n";
    return kExitBadConfig;
  }
  if (std::string error; !token_file_readable(cfg.controller.token_file, error)) {
    std::cerr << options.config_path << ": controller.token_file: " << error << "\n";
    return kExitBadConfig;
  }
  if (options.check_only) return 0;
  return run(cfg, options.config_path, std::move(key));
}
