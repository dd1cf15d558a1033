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

}  // namespace switchyard::controller::engine
