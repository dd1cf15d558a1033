// Reloads: ControlState::apply_reload / reject_reload and the file-reading entry point.
#include "proxy/admin/config_reload.hpp"

#include <functional>
#include <variant>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "config/load_proxy_config.hpp"
#include "proxy/admin/config_json.hpp"
#include "proxy/admin/control_state.hpp"

namespace json = boost::json;

namespace switchyard::proxy::admin {
namespace {

// Parts of the configuration that the running process cannot change: sockets are bound, worker
// threads started and timeouts copied into them at start-up. A reload keeps the running values
// and names the keys the file changed.
std::vector<std::string> keep_process_settings(const config::ProxyConfig& running,
                                               config::ProxyConfig& loaded) {
  std::vector<std::string> kept;
  if (loaded.listeners != running.listeners) kept.emplace_back("listeners");
  if (loaded.admin != running.admin) kept.emplace_back("admin");
  if (loaded.workers != running.workers) kept.emplace_back("workers");
  if (loaded.timeouts != running.timeouts) kept.emplace_back("timeouts");
  if (loaded.limits != running.limits) kept.emplace_back("limits");
  loaded.listeners = running.listeners;
  loaded.admin = running.admin;
  loaded.workers = running.workers;
  loaded.timeouts = running.timeouts;
  loaded.limits = running.limits;
  return kept;
}

std::string joined(const std::vector<std::string>& keys) {
  std::string text;
  for (const auto& key : keys) text += (text.empty() ? "" : ", ") + key;
  return text;
}

}  // namespace

ReloadResult ControlState::apply_reload(config::ProxyConfig loaded) {
  ReloadResult result;
  result.restart_required = keep_process_settings(config_, loaded);
  if (auto error = commit(std::move(loaded), config_path_.empty() ? "reload" : config_path_)) {
    reject_reload(error->message);
    result.error = std::move(error);
    return result;
  }
  ++reloads_applied_;
  // A reload is an operator's decision about every route: guards start judging afresh.
  tripped_.clear();
  result.hash = config_hash(config_);
  json::array restart;
  for (const auto& key : result.restart_required) restart.push_back(json::string(key));
  json::object detail{{"hash", result.hash}, {"restart_required", std::move(restart)}};
  if (!origin_.empty()) detail["by"] = origin_;
  events_.record(event_kind::kConfigReloaded, "", std::move(detail));
  spdlog::info("config reload applied from {}: hash {}{}", config_path_, result.hash,
               origin_.empty() ? "" : " (by " + origin_ + ")");
  if (!result.restart_required.empty()) {
    spdlog::warn("config reload: {} changed in the file but need a restart; running values kept",
                 joined(result.restart_required));
  }
  return result;
}

void ControlState::reject_reload(const std::string& message) {
  ++reloads_rejected_;
  json::object detail{{"error", message}};
  if (!origin_.empty()) detail["by"] = origin_;
  events_.record(event_kind::kConfigRejected, "", std::move(detail));
  spdlog::error("config reload rejected, running configuration kept: {}", message);
}

ReloadOutcome reload_config_file(ControlState& state) {
  ReloadOutcome outcome;
  if (state.config_path().empty()) {
    outcome.error = AdminError{409, "no configuration file to reload"};
    return outcome;
  }
  auto loaded = config::load_proxy_config_file(state.config_path());
  if (auto* error = std::get_if<config::ConfigError>(&loaded)) {
    state.reject_reload(error->message);
    outcome.error = AdminError{400, error->message};
    return outcome;
  }
  std::function<void()> put_files_in_force;
  if (state.file_reloader()) {
    std::string file_error;
    put_files_in_force = state.file_reloader()(file_error);
    if (!file_error.empty()) {
      std::string message = state.config_path() + ": " + file_error;
      state.reject_reload(message);
      outcome.error = AdminError{400, message};
      return outcome;
    }
  }
  auto result = state.apply_reload(std::get<config::ProxyConfig>(std::move(loaded)));
  if (result.error) {
    outcome.error = std::move(result.error);
    return outcome;
  }
  if (put_files_in_force) put_files_in_force();
  outcome.hash = std::move(result.hash);
  outcome.restart_required = std::move(result.restart_required);
  return outcome;
}

}  // namespace switchyard::proxy::admin
