// ActionExecutor::resolve_secrets: an app's `secrets:` are read from the SecretStore right before
// its instances start (worker thread), so a rotated secret reaches the next instances started.
#include "controller/engine/action_executor.hpp"

namespace switchyard::controller::engine {

std::string ActionExecutor::resolve_secrets(const ExecContext& context, drivers::DeployRequest& request) {
  const auto& names = app(context.app).secrets;
  if (names.empty()) return {};
  if (secrets_ == nullptr) return secrets::kNoKeyMessage;
  const auto detail = "app=" + context.app + " env=" + context.env + " version=" + request.version;
  auto resolved = secrets_->resolve(names, detail);
  if (!resolved.ok()) return "secrets: " + resolved.error;  // names and reasons only, never values
  request.secrets = std::move(resolved.value);
  return {};
}

std::map<std::string, std::string> ActionExecutor::secret_versions(const std::string& app_name) const {
  std::map<std::string, std::string> out;
  const auto* configured = config_.find_app(app_name);
  if (configured == nullptr || configured->secrets.empty() || secrets_ == nullptr) return out;
  // Without a usable key the versions are unknown: the hash then covers the names only, and a
  // deploy fails anyway when it tries to resolve them.
  auto versions = secrets_->current_versions(configured->secrets);
  if (!versions.ok()) return out;
  for (const auto& [name, version] : versions.value) out[name] = std::to_string(version);
  return out;
}

}  // namespace switchyard::controller::engine
