// Semantic rules of the controller configuration: everything that relates several values or
// checks a value's meaning. Type and syntax problems are the YAML reader's business.
#include "config/controller_rules.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "config/load_proxy_config.hpp"

namespace switchyard::config::rules {
namespace {

using Result = std::optional<FieldError>;

Result check_name_at(const std::string& path, std::string_view name) {
  if (auto message = check_name(name); !message.empty()) return error_at(path, message);
  return std::nullopt;
}

// Configuration keys and secrets become environment variables of the instances.
Result check_variable_name(const std::string& path, const std::string& name) {
  bool ok = !name.empty() && !(name.front() >= '0' && name.front() <= '9');
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!ok) return error_at(path, "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got '" + name + "'");
  return std::nullopt;
}

Result check_variables(const std::string& path, const std::map<std::string, std::string>& variables) {
  for (const auto& [key, value] : variables) {
    if (auto e = check_variable_name(path + "." + key, key)) return e;
  }
  return std::nullopt;
}

Result check_settings(const ControllerSettings& settings) {
  HostPort parsed;
  if (auto message = parse_host_port(settings.listen.to_string(), parsed); !message.empty()) {
    return error_at("controller.listen", message);
  }
  // The API starts deployments and moves traffic: without a token it must stay on this host.
  if (settings.token_file.empty() && !is_loopback(settings.listen.host)) {
    return error_at("controller.listen", "'" + settings.listen.to_string() +
                                             "' is not a loopback address: set controller.token_file "
                                             "or bind 127.0.0.1 / [::1]");
  }
  if (settings.state.empty()) return error_at("controller.state", "must not be empty");
  if (settings.secrets_key_file == settings.state) {
    return error_at("controller.secrets_key_file", "must not be the state file: the key never lives beside the data");
  }
  return std::nullopt;
}

Result check_environment(const std::string& path, const EnvironmentConfig& env,
                         const std::set<std::string>& env_names) {
  if (auto e = check_name_at(path + ".name", env.name)) return e;
  // `base` names the shared layer of every app's `config:`; an environment cannot share it.
  if (env.name == "base") return error_at(path + ".name", "'base' is reserved (apps[].config.base)");
  if (env.proxies.empty()) return error_at(path + ".proxies", "must not be empty");
  std::set<std::string> seen;
  for (std::size_t j = 0; j < env.requires_envs.size(); ++j) {
    const std::string& name = env.requires_envs[j];
    const std::string item = at(path + ".requires", j);
    if (name == env.name) return error_at(item, "must name another environment, not '" + name + "' itself");
    if (!env_names.contains(name)) return error_at(item, "unknown environment '" + name + "'");
    if (!seen.insert(name).second) return error_at(item, "duplicate environment '" + name + "'");
  }
  return check_variables(path + ".config", env.config);
}

// Depth-first search over `requires`; reports the first cycle as "a -> b -> a".
Result check_requires_cycles(const ControllerConfig& config) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < config.environments.size(); ++i) index[config.environments[i].name] = i;
  std::vector<int> mark(config.environments.size(), 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::string> stack;
  std::function<Result(std::size_t)> visit = [&](std::size_t i) -> Result {
    const auto& env = config.environments[i];
    mark[i] = 1;
    stack.push_back(env.name);
    for (const auto& next_name : env.requires_envs) {
      const std::size_t next = index.at(next_name);
      if (mark[next] == 1) {
        std::string cycle;
        bool in_cycle = false;
        for (const auto& name : stack) {
          in_cycle = in_cycle || name == next_name;
          if (in_cycle) cycle += name + " -> ";
        }
        return error_at(at("environments", i) + ".requires", "cycle: " + cycle + next_name);
      }
      if (mark[next] == 0) {
        if (auto e = visit(next)) return e;
      }
    }
    stack.pop_back();
    mark[i] = 2;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < config.environments.size(); ++i) {
    if (mark[i] == 0) {
      if (auto e = visit(i)) return e;
    }
  }
  return std::nullopt;
}

Result check_environments(const ControllerConfig& config) {
  if (config.environments.empty()) return error_at("environments", "must not be empty");
  std::set<std::string> names;
  for (std::size_t i = 0; i < config.environments.size(); ++i) {
    const auto& name = config.environments[i].name;
    if (!names.insert(name).second) {
      return error_at(at("environments", i) + ".name", "duplicate environment name '" + name + "'");
    }
  }
  for (std::size_t i = 0; i < config.environments.size(); ++i) {
    if (auto e = check_environment(at("environments", i), config.environments[i], names)) return e;
  }
  return check_requires_cycles(config);
}

// A typo in a placeholder would otherwise reach the shell as literal text. `${NAME}` is a shell
// variable (the template keeps it as is for a `/bin/sh -c` command), not a placeholder.
Result check_command(const std::string& path, const std::string& command) {
  if (command.empty()) return error_at(path, "must not be empty");
  static const std::set<std::string> kKnown{"{port}", "{version}", "{env}", "{instance}", "{config_file}"};
  for (auto open = command.find('{'); open != std::string::npos; open = command.find('{', open + 1)) {
    const auto close = command.find('}', open);
    if (close == std::string::npos) break;
    if (open > 0 && command[open - 1] == '$') continue;
    const std::string placeholder = command.substr(open, close - open + 1);
    if (!kKnown.contains(placeholder)) {
      return error_at(path, "unknown placeholder '" + placeholder +
                                "' (expected {port}, {version}, {env}, {instance} or {config_file})");
    }
  }
  return std::nullopt;
}

Result check_driver(const std::string& path, const DriverConfig& driver) {
  if (driver.kind == "systemd" || driver.kind == "kubernetes") {
    return error_at(path + ".kind", "'" + driver.kind + "' is not supported yet (only process)");
  }
  if (driver.kind != kDriverProcess) return error_at(path + ".kind", "must be process, got '" + driver.kind + "'");
  if (auto e = check_command(path + ".command", driver.command)) return e;
  if (auto e = in_range(path + ".instances", driver.instances, kInstances)) return e;
  if (driver.port_min == 0 || driver.port_min > driver.port_max) {
    return error_at(path + ".ports", "must be a range first-last with 0 < first <= last");
  }
  // During a rollout the old and the new version run side by side.
  const std::uint32_t pool = driver.port_max - driver.port_min + 1u;
  if (pool < 2 * driver.instances) {
    return error_at(path + ".ports", "holds " + std::to_string(pool) + " ports, fewer than 2 x instances (" +
                                         std::to_string(2 * driver.instances) + ")");
  }
  if (driver.health_path.empty() || driver.health_path.front() != '/') {
    return error_at(path + ".health_path", "must start with '/'");
  }
  return in_range(path + ".health_timeout_ms", driver.health_timeout_ms, kPositiveU32);
}

Result check_analysis(const std::string& path, const AnalysisConfig& analysis) {
  // Written as negated tests so that NaN fails them too.
  if (!(analysis.max_error_rate >= 0.0 && analysis.max_error_rate <= 1.0)) {
    return error_at(path + ".max_error_rate", "must be between 0 and 1");
  }
  if (auto e = in_range(path + ".min_requests", analysis.min_requests, kPositiveU32)) return e;
  if (!(analysis.max_error_rate_increase >= 0.0 && analysis.max_error_rate_increase <= 1.0)) {
    return error_at(path + ".max_error_rate_increase", "must be between 0 and 1");
  }
  return in_range(path + ".inconclusive_limit", analysis.inconclusive_limit, kPositiveU32);
}

Result check_steps(const std::string& path, const std::vector<std::uint32_t>& steps) {
  if (steps.empty()) return error_at(path, "must not be empty");
  for (std::size_t j = 0; j < steps.size(); ++j) {
    if (auto e = in_range(at(path, j), steps[j], kStepPercent)) return e;
    if (j > 0 && steps[j] <= steps[j - 1]) {
      return error_at(at(path, j), "must be greater than the previous step (" + std::to_string(steps[j - 1]) + ")");
    }
  }
  if (steps.back() != 100) return error_at(at(path, steps.size() - 1), "the last step must be 100");
  return std::nullopt;
}

Result check_strategy(const std::string& path, const StrategyConfig& strategy, const DriverConfig& driver) {
  const auto& kind = strategy.kind;
  if (kind != "canary" && kind != "blue-green" && kind != "rolling" && kind != "recreate") {
    return error_at(path + ".kind", "must be canary, blue-green, rolling or recreate, got '" + kind + "'");
  }
  if (kind == "canary") {
    if (auto e = check_steps(path + ".steps", strategy.steps)) return e;
  }
  if (auto e = check_analysis(path + ".analysis", strategy.analysis)) return e;
  if (kind == "rolling") {
    if (strategy.max_surge == 0 && strategy.max_unavailable == 0) {
      return error_at(path + ".max_unavailable", "must be > 0 when max_surge is 0 (nothing could be replaced)");
    }
    if (strategy.max_unavailable > driver.instances) {
      return error_at(path + ".max_unavailable",
                      "must be <= driver.instances (" + std::to_string(driver.instances) + ")");
    }
  }
  return std::nullopt;
}

Result check_hook_list(const std::string& path, const std::vector<HookConfig>& hooks) {
  for (std::size_t j = 0; j < hooks.size(); ++j) {
    const auto& hook = hooks[j];
    const std::string item = at(path, j);
    if (hook.run.empty() == hook.http.empty()) return error_at(item, "must have exactly one of 'run' or 'http'");
    if (!hook.http.empty() && hook.http.rfind("http://", 0) != 0) {
      return error_at(item + ".http", "must be an http:// URL, got '" + hook.http + "'");
    }
    if (auto e = in_range(item + ".timeout_s", hook.timeout_s, kHookTimeoutS)) return e;
  }
  return std::nullopt;
}

Result check_hooks(const std::string& path, const HooksConfig& hooks) {
  if (auto e = check_hook_list(path + ".pre_deploy", hooks.pre_deploy)) return e;
  if (auto e = check_hook_list(path + ".per_step", hooks.per_step)) return e;
  if (auto e = check_hook_list(path + ".pre_traffic", hooks.pre_traffic)) return e;
  if (auto e = check_hook_list(path + ".on_rollback", hooks.on_rollback)) return e;
  return check_hook_list(path + ".post_deploy", hooks.post_deploy);
}

Result check_app_config(const std::string& path, const AppConfig& app, const ControllerConfig& config) {
  for (const auto& [scope, variables] : app.config) {
    if (scope != "base" && config.find_environment(scope) == nullptr) {
      return error_at(path + "." + scope, "unknown environment '" + scope + "' (expected base or a declared environment)");
    }
    if (auto e = check_variables(path + "." + scope, variables)) return e;
  }
  return std::nullopt;
}

Result check_secrets(const std::string& path, const std::vector<std::string>& secrets) {
  std::set<std::string> seen;
  for (std::size_t j = 0; j < secrets.size(); ++j) {
    if (auto e = check_variable_name(at(path, j), secrets[j])) return e;
    // The secret store's names (docs/secrets.md): upper case, at most 64 characters.
    const bool store_name = secrets[j].size() <= 64 && std::none_of(secrets[j].begin(), secrets[j].end(), [](char c) {
                              return c >= 'a' && c <= 'z';
                            }) && !(secrets[j][0] >= '0' && secrets[j][0] <= '9');
    if (!store_name) {
      return error_at(at(path, j), "must be a secret name ([A-Z_][A-Z0-9_]{0,63}), got '" + secrets[j] + "'");
    }
    if (!seen.insert(secrets[j]).second) return error_at(at(path, j), "duplicate secret '" + secrets[j] + "'");
  }
  return std::nullopt;
}

Result check_depends_on(const std::string& path, const AppConfig& app, const ControllerConfig& config) {
  for (std::size_t j = 0; j < app.depends_on.size(); ++j) {
    const auto& dependency = app.depends_on[j];
    if (dependency.app == app.name) return error_at(at(path, j), "an app cannot depend on itself");
    if (!config.find_app(dependency.app)) return error_at(at(path, j), "unknown app '" + dependency.app + "'");
    if (auto e = check_name_at(at(path, j), dependency.version)) return e;
  }
  return std::nullopt;
}

Result check_app(const std::string& path, const AppConfig& app, const ControllerConfig& config) {
  if (auto e = check_name_at(path + ".name", app.name)) return e;
  if (auto e = check_name_at(path + ".route", app.route)) return e;
  if (auto e = check_driver(path + ".driver", app.driver)) return e;
  if (auto e = check_strategy(path + ".strategy", app.strategy, app.driver)) return e;
  if (auto e = check_hooks(path + ".hooks", app.hooks)) return e;
  if (auto e = check_app_config(path + ".config", app, config)) return e;
  if (auto e = check_depends_on(path + ".depends_on", app, config)) return e;
  return check_secrets(path + ".secrets", app.secrets);
}

Result check_apps(const ControllerConfig& config) {
  std::set<std::string> names;
  std::map<std::string, std::size_t> routes;
  for (std::size_t i = 0; i < config.apps.size(); ++i) {
    const auto& app = config.apps[i];
    const std::string path = at("apps", i);
    if (auto e = check_app(path, app, config)) return e;
    if (!names.insert(app.name).second) return error_at(path + ".name", "duplicate app name '" + app.name + "'");
    // Two apps moving one route's split would undo each other's weights.
    if (auto [it, fresh] = routes.emplace(app.route, i); !fresh) {
      return error_at(path + ".route", "route '" + app.route + "' already belongs to " + at("apps", it->second));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<FieldError> check_controller_config(const ControllerConfig& config) {
  if (auto e = check_settings(config.controller)) return e;
  if (auto e = check_environments(config)) return e;
  return check_apps(config);
}

}  // namespace switchyard::config::rules
