// Decoding of each SPEC §6 section. Each function owns one map and names the keys it may hold,
// so an unknown key anywhere is refused. Ranges that a single number can break are checked
// here while reading; rules that relate several values live in controller_rules.cpp.
#include "config/decode_controller_config.hpp"

#include <charconv>

#include "config/controller_rules.hpp"
#include "config/decode_notifications.hpp"

namespace switchyard::config {
namespace {

using rules::kAnyU32;
using rules::kPositiveU32;

void read_u32(const YamlReader& map, std::string_view key, rules::Range range, std::uint32_t& out) {
  if (auto child = map.optional(key)) out = child->u32(range);
}

void read_string(const YamlReader& map, std::string_view key, std::string& out) {
  if (auto child = map.optional(key)) out = child->string();
}

std::string non_empty_string(const YamlReader& node) {
  std::string text = node.string();
  if (text.empty()) node.fail("must not be empty");
  return text;
}

std::vector<std::string> string_list(const YamlReader& node) {
  std::vector<std::string> out;
  for (const auto& item : node.list()) out.push_back(item.string());
  return out;
}

// `{K: V, ...}` with scalar values, kept as strings (they become environment variables).
std::map<std::string, std::string> string_map(const YamlReader& node) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : node.entries()) {
    if (!value.is_scalar()) value.fail("must be a scalar (string, number or boolean)");
    out.emplace(key, value.string());
  }
  return out;
}

ControllerSettings decode_settings(const YamlReader& node) {
  node.expect_map({"listen", "state", "token_file", "secrets_key_file"});
  ControllerSettings settings;
  if (auto listen = node.optional("listen")) settings.listen = listen->address();
  if (auto state = node.optional("state")) settings.state = non_empty_string(*state);
  if (auto token = node.optional("token_file")) settings.token_file = non_empty_string(*token);
  if (auto key = node.optional("secrets_key_file")) settings.secrets_key_file = non_empty_string(*key);
  return settings;
}

ProxyTarget decode_proxy_target(const YamlReader& node) {
  node.expect_map({"admin", "token_file"});
  ProxyTarget target;
  target.admin = node.required("admin").address();
  if (auto token = node.optional("token_file")) target.token_file = non_empty_string(*token);
  return target;
}

// `remediate: report|auto` and `drift: {interval_ms}` (docs/drift.md).
void decode_drift(const YamlReader& node, EnvironmentConfig& env) {
  if (auto remediate = node.optional("remediate")) {
    env.remediate = remediate->string();
    if (env.remediate != "report" && env.remediate != "auto") remediate->fail("must be report or auto");
  }
  if (auto drift = node.optional("drift")) {
    drift->expect_map({"interval_ms"});
    read_u32(*drift, "interval_ms", {20, 60000}, env.drift_interval_ms);
  }
}

EnvironmentConfig decode_environment(const YamlReader& node) {
  node.expect_map({"name", "requires", "proxies", "config", "remediate", "drift"});
  EnvironmentConfig env;
  env.name = node.required("name").string();
  if (auto requires_envs = node.optional("requires")) env.requires_envs = string_list(*requires_envs);
  for (const auto& proxy : node.required("proxies").list()) env.proxies.push_back(decode_proxy_target(proxy));
  if (auto config = node.optional("config")) env.config = string_map(*config);
  decode_drift(node, env);
  return env;
}

std::uint16_t port_number(const YamlReader& node, std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    node.fail("must be a port range like 19000-19999 (ports 1..65535)");
  }
  return static_cast<std::uint16_t>(value);
}

// "19000-19999", or a single port "19000" (a range of one).
void decode_ports(const YamlReader& node, DriverConfig& driver) {
  const std::string text = node.string();
  const auto dash = text.find('-');
  const std::string_view all(text);
  driver.port_min = port_number(node, all.substr(0, dash));
  driver.port_max = dash == std::string::npos ? driver.port_min : port_number(node, all.substr(dash + 1));
}

DriverConfig decode_driver(const YamlReader& node) {
  node.expect_map({"kind", "command", "instances", "ports", "health_path", "health_timeout_ms",
                   "stop_grace_ms"});
  DriverConfig driver;
  read_string(node, "kind", driver.kind);
  driver.command = node.required("command").string();
  read_u32(node, "instances", rules::kInstances, driver.instances);
  if (auto ports = node.optional("ports")) decode_ports(*ports, driver);
  read_string(node, "health_path", driver.health_path);
  read_u32(node, "health_timeout_ms", kPositiveU32, driver.health_timeout_ms);
  read_u32(node, "stop_grace_ms", kAnyU32, driver.stop_grace_ms);
  return driver;
}

AnalysisConfig decode_analysis(const YamlReader& node) {
  node.expect_map({"max_error_rate", "max_p99_ms", "min_requests", "max_error_rate_increase",
                   "inconclusive_limit"});
  AnalysisConfig analysis;
  if (auto rate = node.optional("max_error_rate")) analysis.max_error_rate = rate->number();
  read_u32(node, "max_p99_ms", kAnyU32, analysis.max_p99_ms);
  read_u32(node, "min_requests", kPositiveU32, analysis.min_requests);
  if (auto rate = node.optional("max_error_rate_increase")) analysis.max_error_rate_increase = rate->number();
  read_u32(node, "inconclusive_limit", kPositiveU32, analysis.inconclusive_limit);
  return analysis;
}

bool decode_bool(const YamlReader& node) {
  const std::string text = node.string();
  if (text == "true") return true;
  if (text == "false") return false;
  node.fail("must be true or false");
}

StrategyConfig decode_strategy(const YamlReader& node) {
  node.expect_map({"kind", "steps", "pause_s", "analysis", "preview", "scale_down_delay_s",
                   "max_surge", "max_unavailable"});
  StrategyConfig strategy;
  strategy.kind = node.required("kind").string();
  if (auto steps = node.optional("steps")) {
    if (strategy.kind != "canary") steps->fail("only applies to kind canary");
    strategy.steps.clear();
    for (const auto& step : steps->list()) strategy.steps.push_back(step.u32(rules::kStepPercent));
  }
  read_u32(node, "pause_s", kAnyU32, strategy.pause_s);
  if (auto analysis = node.optional("analysis")) strategy.analysis = decode_analysis(*analysis);
  if (auto preview = node.optional("preview")) strategy.preview = decode_bool(*preview);
  read_u32(node, "scale_down_delay_s", kAnyU32, strategy.scale_down_delay_s);
  read_u32(node, "max_surge", kAnyU32, strategy.max_surge);
  read_u32(node, "max_unavailable", kAnyU32, strategy.max_unavailable);
  return strategy;
}

HookConfig decode_hook(const YamlReader& node) {
  node.expect_map({"run", "http", "timeout_s", "method", "expect_status", "body", "headers"});
  if (node.has("run") == node.has("http")) node.fail("must have exactly one of 'run' or 'http'");
  HookConfig hook;
  if (auto run = node.optional("run")) hook.run = non_empty_string(*run);
  if (auto http = node.optional("http")) hook.http = non_empty_string(*http);
  read_u32(node, "timeout_s", rules::kHookTimeoutS, hook.timeout_s);
  decode_hook_http(node, hook);
  return hook;
}

std::vector<HookConfig> decode_hook_list(const YamlReader& node) {
  std::vector<HookConfig> hooks;
  for (const auto& hook : node.list()) hooks.push_back(decode_hook(hook));
  return hooks;
}

HooksConfig decode_hooks(const YamlReader& node) {
  node.expect_map({"pre_deploy", "pre_traffic", "per_step", "post_deploy", "on_rollback"});
  HooksConfig hooks;
  if (auto list = node.optional("pre_deploy")) hooks.pre_deploy = decode_hook_list(*list);
  if (auto list = node.optional("per_step")) hooks.per_step = decode_hook_list(*list);
  if (auto list = node.optional("post_deploy")) hooks.post_deploy = decode_hook_list(*list);
  if (auto list = node.optional("pre_traffic")) hooks.pre_traffic = decode_hook_list(*list);
  if (auto list = node.optional("on_rollback")) hooks.on_rollback = decode_hook_list(*list);
  return hooks;
}

AppConfig decode_app(const YamlReader& node) {
  node.expect_map({"name", "route", "driver", "strategy", "hooks", "config", "secrets", "depends_on"});
  AppConfig app;
  app.name = node.required("name").string();
  app.route = node.required("route").string();
  app.driver = decode_driver(node.required("driver"));
  if (auto strategy = node.optional("strategy")) app.strategy = decode_strategy(*strategy);
  if (auto hooks = node.optional("hooks")) app.hooks = decode_hooks(*hooks);
  if (auto config = node.optional("config")) {
    // Which environment names are valid is a semantic rule; here only the shape is read.
    for (const auto& [scope, values] : config->entries()) app.config.emplace(scope, string_map(values));
  }
  if (auto secrets = node.optional("secrets")) app.secrets = string_list(*secrets);
  if (auto depends = node.optional("depends_on")) {
    for (const auto& item : depends->list()) {
      std::string error;
      auto dependency = parse_dependency(item.string(), error);
      if (!dependency) item.fail(error);
      app.depends_on.push_back(*dependency);
    }
  }
  return app;
}

}  // namespace

ControllerConfig decode_controller_config(const YamlReader& root) {
  root.expect_map({"controller", "environments", "apps", "notifications"});
  ControllerConfig config;
  if (auto settings = root.optional("controller")) config.controller = decode_settings(*settings);
  for (const auto& env : root.required("environments").list()) {
    config.environments.push_back(decode_environment(env));
  }
  if (auto apps = root.optional("apps")) {
    for (const auto& app : apps->list()) config.apps.push_back(decode_app(app));
  }
  if (auto notifications = root.optional("notifications")) config.notifications = decode_notifications(*notifications);
  return config;
}

}  // namespace switchyard::config
