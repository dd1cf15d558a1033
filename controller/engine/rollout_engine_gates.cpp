// RolloutEngine: the gates a start must pass besides `requires:` — release coordination
// (`depends_on:`) and the label of a config-only rollout.
#include "controller/engine/rollout_engine.hpp"

namespace switchyard::controller::engine {

std::vector<std::string> RolloutEngine::refuse_dependencies(const StartRequest& request,
                                                            const config::AppConfig& app) const {
  std::vector<std::string> unmet;
  for (const auto& dependency : app.depends_on) {
    const auto found = request.dependency_live.find(dependency.app);
    const std::string live = found == request.dependency_live.end() ? std::string() : found->second;
    const std::string head = "dependency '" + dependency.text() + "' of " + app.name + " is not met in " +
                             request.env + ": ";
    if (live.empty()) {
      unmet.push_back(head + dependency.app + " has no live version there (required " + dependency.op + " " +
                      dependency.version + ")");
    } else if (!dependency.satisfied_by(live)) {
      unmet.push_back(head + "required " + dependency.op + " " + dependency.version + ", live version is " + live);
    }
  }
  return unmet;
}

std::variant<std::string, EngineError> RolloutEngine::config_only_label(const StartRequest& request) {
  if (request.baseline.empty()) {
    return EngineError{409, "a config-only rollout needs a live version: the route of " + request.app +
                                " has no version on the proxies of " + request.env};
  }
  const auto desired = overlays().render(request.app, request.env, executor_.secret_versions(request.app));
  auto instances = store_.list_instances(request.app, request.env, request.baseline);
  if (!instances.ok()) return EngineError{500, instances.error()};
  bool live_matches = false;
  for (const auto& row : instances.value()) {
    const bool live = row.state == store::kInstanceHealthy || row.state == store::kInstanceStarting;
    live_matches = live_matches || (live && row.config_hash == desired.hash);
  }
  const auto label = config_label(request.baseline, desired.hash);
  if (live_matches || label == request.baseline) {
    return EngineError{409, "the configuration of " + request.app + " in " + request.env +
                                " is unchanged (hash " + desired.hash.substr(0, 12) + ", live version " +
                                request.baseline + ")"};
  }
  return label;
}

}  // namespace switchyard::controller::engine
