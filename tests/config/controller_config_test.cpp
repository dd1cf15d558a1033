// The controller configuration loader (SPEC §6): the documented example parses into the expected
// values, and each bad snippet is refused with its exact one-line message.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "config/load_controller_config.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::config {
namespace {

// The example of SPEC §6, verbatim.
const std::string kSpecExample = R"(
controller:
  listen: 127.0.0.1:9900
  state: switchyard.db                  # SQLite file: the embedded default
  token_file: controller.token          # optional bearer token for the API and CLI
environments:
  - name: staging
    proxies:
      - { admin: 127.0.0.1:9901, token_file: admin.token }
  - name: production
    requires: [staging]                 # a version must have succeeded there first
    proxies:
      - { admin: 10.0.0.5:9901, token_file: prod-admin.token }
apps:
  - name: shop
    route: shop                         # the proxy route whose split this app's versions share
    driver:
      kind: process
      command: "switchyard-demo-backend --port {port} --name {version}"
      instances: 2
      ports: 19000-19999
      health_path: /healthz
    strategy:
      kind: canary                      # canary | blue-green | rolling | recreate
      steps: [5, 10, 25, 50, 100]
      pause_s: 30
      analysis: { max_error_rate: 0.01, max_p99_ms: 300, min_requests: 100 }
    hooks:                              # each a command (run:) or an HTTP call (http:) that must succeed
      pre_deploy: [ { run: "./migrate.sh {version} {env}" } ]
      post_deploy: [ { http: "http://127.0.0.1:19999/smoke" } ]
    config:                             # environment-specific configuration, handed to instances
      base: { LOG_LEVEL: info }
      staging: { FEATURE_X: "on" }
    secrets: [ DB_PASSWORD ]            # resolved from the secret store, never logged
)";

ControllerConfig parse_ok(const std::string& yaml) {
  auto result = parse_controller_config(yaml, "controller.yaml");
  if (auto* error = std::get_if<ConfigError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->message;
    return {};
  }
  return std::get<ControllerConfig>(std::move(result));
}

std::string error_of(const std::string& yaml) {
  auto result = parse_controller_config(yaml, "controller.yaml");
  if (auto* error = std::get_if<ConfigError>(&result)) return error->message;
  return "<valid>";
}

TEST(ControllerConfig, SpecExampleParses) {
  const auto config = parse_ok(kSpecExample);
  EXPECT_EQ(config.controller.listen, (HostPort{"127.0.0.1", 9900}));
  EXPECT_EQ(config.controller.state, "switchyard.db");
  EXPECT_EQ(config.controller.token_file, "controller.token");
  ASSERT_EQ(config.environments.size(), 2u);
  EXPECT_EQ(config.environments[0].name, "staging");
  ASSERT_EQ(config.environments[0].proxies.size(), 1u);
  EXPECT_EQ(config.environments[0].proxies[0].admin, (HostPort{"127.0.0.1", 9901}));
  EXPECT_EQ(config.environments[0].proxies[0].token_file, "admin.token");
  EXPECT_TRUE(config.environments[0].requires_envs.empty());
  EXPECT_EQ(config.environments[1].requires_envs, std::vector<std::string>{"staging"});
  EXPECT_EQ(config.environments[1].proxies[0].admin, (HostPort{"10.0.0.5", 9901}));

  ASSERT_EQ(config.apps.size(), 1u);
  const auto& app = config.apps[0];
  EXPECT_EQ(app.name, "shop");
  EXPECT_EQ(app.route, "shop");
  EXPECT_EQ(app.driver.kind, "process");
  EXPECT_EQ(app.driver.command, "switchyard-demo-backend --port {port} --name {version}");
  EXPECT_EQ(app.driver.instances, 2u);
  EXPECT_EQ(app.driver.port_min, 19000);
  EXPECT_EQ(app.driver.port_max, 19999);
  EXPECT_EQ(app.driver.health_path, "/healthz");
  EXPECT_EQ(app.strategy.kind, "canary");
  EXPECT_EQ(app.strategy.steps, (std::vector<std::uint32_t>{5, 10, 25, 50, 100}));
  EXPECT_EQ(app.strategy.pause_s, 30u);
  EXPECT_DOUBLE_EQ(app.strategy.analysis.max_error_rate, 0.01);
  EXPECT_EQ(app.strategy.analysis.max_p99_ms, 300u);
  EXPECT_EQ(app.strategy.analysis.min_requests, 100u);
  ASSERT_EQ(app.hooks.pre_deploy.size(), 1u);
  EXPECT_EQ(app.hooks.pre_deploy[0].run, "./migrate.sh {version} {env}");
  EXPECT_TRUE(app.hooks.pre_deploy[0].http.empty());
  ASSERT_EQ(app.hooks.post_deploy.size(), 1u);
  EXPECT_EQ(app.hooks.post_deploy[0].http, "http://127.0.0.1:19999/smoke");
  EXPECT_TRUE(app.hooks.per_step.empty());
  EXPECT_EQ(app.config.at("base").at("LOG_LEVEL"), "info");
  EXPECT_EQ(app.config.at("staging").at("FEATURE_X"), "on");
  EXPECT_EQ(app.secrets, std::vector<std::string>{"DB_PASSWORD"});

  ASSERT_NE(config.find_environment("production"), nullptr);
  EXPECT_EQ(config.find_environment("production")->name, "production");
  EXPECT_EQ(config.find_environment("prod"), nullptr);
  ASSERT_NE(config.find_app("shop"), nullptr);
  EXPECT_EQ(config.find_app("shop")->route, "shop");
  EXPECT_EQ(config.find_app("cart"), nullptr);
}

const std::string kEnvs =
    "environments:\n"
    "  - {name: staging, proxies: [{admin: 127.0.0.1:9901}]}\n"
    "  - {name: production, requires: [staging], proxies: [{admin: 127.0.0.1:9902}]}\n";

// A minimal valid app; `extra` lines are appended at app level (four spaces of indentation).
std::string with_app(const std::string& extra) {
  return kEnvs +
         "apps:\n"
         "  - name: shop\n"
         "    route: shop\n"
         "    driver: {command: \"backend --port {port}\"}\n" +
         extra;
}

TEST(ControllerConfig, DefaultsAndExtensions) {
  const auto config = parse_ok(kEnvs +
                               "  - name: dev\n    proxies: [{admin: 127.0.0.1:9903}]\n"
                               "    config: {REGION: eu, REPLICAS: 3}\n"
                               "apps:\n  - name: shop\n    route: shop\n"
                               "    driver: {command: x, instances: 3, ports: 20000-20009, health_timeout_ms: 500,"
                               " stop_grace_ms: 0}\n"
                               "    strategy: {kind: rolling, max_surge: 0, max_unavailable: 1,"
                               " analysis: {max_error_rate_increase: 0.02, inconclusive_limit: 4}}\n"
                               "    hooks: {per_step: [{http: \"http://127.0.0.1:1/gate\", timeout_s: 5}]}\n"
                               "  - name: cart\n    route: cart\n    driver: {command: y, ports: 1-2}\n"
                               "    strategy: {kind: blue-green, preview: true, scale_down_delay_s: 0}\n");
  EXPECT_EQ(config.controller, ControllerSettings{});
  EXPECT_EQ(config.environments[2].config.at("REPLICAS"), "3");
  const auto& shop = config.apps[0];
  EXPECT_EQ(shop.driver.port_min, 20000);
  EXPECT_EQ(shop.driver.port_max, 20009);
  EXPECT_EQ(shop.driver.health_timeout_ms, 500u);
  EXPECT_EQ(shop.driver.stop_grace_ms, 0u);
  EXPECT_EQ(shop.strategy.max_surge, 0u);
  EXPECT_DOUBLE_EQ(shop.strategy.analysis.max_error_rate_increase, 0.02);
  EXPECT_EQ(shop.strategy.analysis.inconclusive_limit, 4u);
  EXPECT_EQ(shop.hooks.per_step[0].timeout_s, 5u);
  const auto& cart = config.apps[1];
  EXPECT_TRUE(cart.strategy.preview);
  EXPECT_EQ(cart.strategy.scale_down_delay_s, 0u);
  EXPECT_EQ(cart.driver.port_max, 2);
  EXPECT_EQ(cart.strategy.steps, (std::vector<std::uint32_t>{5, 10, 25, 50, 100}));
}

TEST(ControllerConfig, FileLoadResolvesRelativePaths) {
  test::TempDir dir;
  const std::string path = dir.write_file(
      "c.yaml", "controller: {state: db/s.db, token_file: /abs/t, secrets_key_file: keys/k}\n"
                "environments: [{name: a, proxies: [{admin: 127.0.0.1:1, token_file: tok}]}]\n");
  auto result = load_controller_config_file(path);
  ASSERT_TRUE(std::holds_alternative<ControllerConfig>(result)) << std::get<ConfigError>(result).message;
  const auto& config = std::get<ControllerConfig>(result);
  EXPECT_EQ(config.controller.state, dir.path() + "/db/s.db");
  EXPECT_EQ(config.controller.token_file, "/abs/t");
  EXPECT_EQ(config.controller.secrets_key_file, dir.path() + "/keys/k");
  EXPECT_EQ(config.environments[0].proxies[0].token_file, dir.path() + "/tok");

  // The in-memory parser has no directory to resolve against: paths stay as written.
  const auto parsed = parse_ok("controller: {state: s.db}\nenvironments: [{name: a, proxies: [{admin: 127.0.0.1:1}]}]\n");
  EXPECT_EQ(parsed.controller.state, "s.db");
}

TEST(ControllerConfig, UnreadableFileNamesTheFile) {
  test::TempDir dir;
  auto missing = load_controller_config_file(dir.path() + "/nope.yaml");
  ASSERT_TRUE(std::holds_alternative<ConfigError>(missing));
  EXPECT_EQ(std::get<ConfigError>(missing).message,
            dir.path() + "/nope.yaml: cannot read: No such file or directory");
  auto directory = load_controller_config_file(dir.path());
  ASSERT_TRUE(std::holds_alternative<ConfigError>(directory));
  EXPECT_EQ(std::get<ConfigError>(directory).message, dir.path() + ": cannot read: Is a directory");
}

struct BadConfig {
  std::string name;
  std::string yaml;
  std::string expected;
};

void PrintTo(const BadConfig& config, std::ostream* out) { *out << config.name; }

std::string msg(const std::string& text) { return "controller.yaml: " + text; }

std::string with_strategy(const std::string& strategy) { return with_app("    strategy: " + strategy + "\n"); }
std::string with_driver(const std::string& driver) {
  return kEnvs + "apps:\n  - {name: shop, route: shop, driver: " + driver + "}\n";
}
std::string with_env(const std::string& env) {
  return "environments:\n  - {name: staging, proxies: [{admin: 127.0.0.1:9901}]}\n  - " + env + "\n";
}

std::vector<BadConfig> bad_configs() {
  return {
      {"EmptyDocument", "", msg("environments: is required")},
      {"YamlSyntax", "environments: [", msg("line 1 column 1: end of sequence flow not found")},
      {"UnknownTopLevelKey", kEnvs + "colour: red\n", msg("colour: unknown key")},
      {"UnknownControllerKey", "controller: {port: 1}\n" + kEnvs, msg("controller.port: unknown key")},
      {"BadListen", "controller: {listen: nowhere}\n" + kEnvs, msg("controller.listen: must be host:port")},
      {"PublicListenWithoutToken", "controller: {listen: 0.0.0.0:9900}\n" + kEnvs,
       msg("controller.listen: '0.0.0.0:9900' is not a loopback address: set controller.token_file or bind "
           "127.0.0.1 / [::1]")},
      {"EmptyState", "controller: {state: \"\"}\n" + kEnvs, msg("controller.state: must not be empty")},
      {"NoEnvironments", "environments: []\n", msg("environments: must not be empty")},
      {"EnvironmentsNotList", "environments: {name: a}\n", msg("environments: must be a list")},
      {"UnknownEnvironmentKey", with_env("{name: p, proxies: [{admin: 127.0.0.1:1}], needs: [staging]}"),
       msg("environments[1].needs: unknown key")},
      {"EnvironmentWithoutProxies", with_env("{name: p, proxies: []}"),
       msg("environments[1].proxies: must not be empty")},
      {"BadProxyAdmin", with_env("{name: p, proxies: [{admin: \"127.0.0.1:99999\"}]}"),
       msg("environments[1].proxies[0].admin: port must be a number 0..65535")},
      {"UnknownProxyKey", with_env("{name: p, proxies: [{admin: 127.0.0.1:1, token: x}]}"),
       msg("environments[1].proxies[0].token: unknown key")},
      {"BadEnvironmentName", with_env("{name: \"pro d\", proxies: [{admin: 127.0.0.1:1}]}"),
       msg("environments[1].name: must contain only letters, digits, '.', '_', '-' and '+', got 'pro d'")},
      {"ReservedEnvironmentName", with_env("{name: base, proxies: [{admin: 127.0.0.1:1}]}"),
       msg("environments[1].name: 'base' is reserved (apps[].config.base)")},
      {"DuplicateEnvironment", with_env("{name: staging, proxies: [{admin: 127.0.0.1:1}]}"),
       msg("environments[1].name: duplicate environment name 'staging'")},
      {"RequiresUnknown", with_env("{name: p, requires: [qa], proxies: [{admin: 127.0.0.1:1}]}"),
       msg("environments[1].requires[0]: unknown environment 'qa'")},
      {"RequiresItself", with_env("{name: p, requires: [p], proxies: [{admin: 127.0.0.1:1}]}"),
       msg("environments[1].requires[0]: must name another environment, not 'p' itself")},
      {"RequiresTwice", with_env("{name: p, requires: [staging, staging], proxies: [{admin: 127.0.0.1:1}]}"),
       msg("environments[1].requires[1]: duplicate environment 'staging'")},
      {"RequiresCycle",
       "environments:\n  - {name: a, requires: [c], proxies: [{admin: 127.0.0.1:1}]}\n"
       "  - {name: b, requires: [a], proxies: [{admin: 127.0.0.1:1}]}\n"
       "  - {name: c, requires: [b], proxies: [{admin: 127.0.0.1:1}]}\n",
       msg("environments[1].requires: cycle: a -> c -> b -> a")},
      {"BadEnvironmentVariable", with_env("{name: p, proxies: [{admin: 127.0.0.1:1}], config: {my-var: 1}}"),
       msg("environments[1].config.my-var: must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), "
           "got 'my-var'")},
      {"NonScalarVariable", with_env("{name: p, proxies: [{admin: 127.0.0.1:1}], config: {A: [1]}}"),
       msg("environments[1].config.A: must be a scalar (string, number or boolean)")},
      {"AppWithoutRoute", kEnvs + "apps: [{name: shop, driver: {command: x}}]\n", msg("apps[0].route: is required")},
      {"AppWithoutDriver", kEnvs + "apps: [{name: shop, route: shop}]\n", msg("apps[0].driver: is required")},
      {"UnknownAppKey", with_app("    replicas: 3\n"), msg("apps[0].replicas: unknown key")},
      {"DuplicateApp", with_app("  - {name: shop, route: other, driver: {command: x}}\n"),
       msg("apps[1].name: duplicate app name 'shop'")},
      {"SharedRoute", with_app("  - {name: cart, route: shop, driver: {command: x}}\n"),
       msg("apps[1].route: route 'shop' already belongs to apps[0]")},
      {"DriverSystemd", with_driver("{kind: systemd, command: x}"),
       msg("apps[0].driver.kind: 'systemd' is not supported yet (only process)")},
      {"DriverKubernetes", with_driver("{kind: kubernetes, command: x}"),
       msg("apps[0].driver.kind: 'kubernetes' is not supported yet (only process)")},
      {"DriverUnknownKind", with_driver("{kind: docker, command: x}"),
       msg("apps[0].driver.kind: must be process, got 'docker'")},
      {"DriverNoCommand", with_driver("{instances: 2}"), msg("apps[0].driver.command: is required")},
      {"DriverEmptyCommand", with_driver("{command: \"\"}"), msg("apps[0].driver.command: must not be empty")},
      {"DriverUnknownPlaceholder", with_driver("{command: \"run --port {prot}\"}"),
       msg("apps[0].driver.command: unknown placeholder '{prot}' (expected {port}, {version}, {env}, "
           "{instance} or {config_file})")},
      {"DriverZeroInstances", with_driver("{command: x, instances: 0}"),
       msg("apps[0].driver.instances: must be > 0")},
      {"DriverBadPorts", with_driver("{command: x, ports: 19000-abc}"),
       msg("apps[0].driver.ports: must be a port range like 19000-19999 (ports 1..65535)")},
      {"DriverReversedPorts", with_driver("{command: x, ports: 19999-19000}"),
       msg("apps[0].driver.ports: must be a range first-last with 0 < first <= last")},
      {"DriverTooFewPorts", with_driver("{command: x, instances: 3, ports: 19000-19004}"),
       msg("apps[0].driver.ports: holds 5 ports, fewer than 2 x instances (6)")},
      {"DriverHealthPath", with_driver("{command: x, health_path: healthz}"),
       msg("apps[0].driver.health_path: must start with '/'")},
      {"DriverHealthTimeoutZero", with_driver("{command: x, health_timeout_ms: 0}"),
       msg("apps[0].driver.health_timeout_ms: must be > 0")},
      {"StrategyNoKind", with_strategy("{pause_s: 3}"), msg("apps[0].strategy.kind: is required")},
      {"StrategyUnknownKind", with_strategy("{kind: linear}"),
       msg("apps[0].strategy.kind: must be canary, blue-green, rolling or recreate, got 'linear'")},
      {"StepsEmpty", with_strategy("{kind: canary, steps: []}"), msg("apps[0].strategy.steps: must not be empty")},
      {"StepZero", with_strategy("{kind: canary, steps: [0, 100]}"), msg("apps[0].strategy.steps[0]: must be > 0")},
      {"StepOver100", with_strategy("{kind: canary, steps: [50, 150]}"),
       msg("apps[0].strategy.steps[1]: must be <= 100")},
      {"StepsNotIncreasing", with_strategy("{kind: canary, steps: [10, 10, 100]}"),
       msg("apps[0].strategy.steps[1]: must be greater than the previous step (10)")},
      {"StepsNotEndingAt100", with_strategy("{kind: canary, steps: [10, 50]}"),
       msg("apps[0].strategy.steps[1]: the last step must be 100")},
      {"StepsForBlueGreen", with_strategy("{kind: blue-green, steps: [50, 100]}"),
       msg("apps[0].strategy.steps: only applies to kind canary")},
      {"ErrorRateAbove1", with_strategy("{kind: canary, analysis: {max_error_rate: 1.5}}"),
       msg("apps[0].strategy.analysis.max_error_rate: must be between 0 and 1")},
      {"ErrorRateQuoted", with_strategy("{kind: canary, analysis: {max_error_rate: \"0.1\"}}"),
       msg("apps[0].strategy.analysis.max_error_rate: must be a number")},
      {"MinRequestsZero", with_strategy("{kind: canary, analysis: {min_requests: 0}}"),
       msg("apps[0].strategy.analysis.min_requests: must be > 0")},
      {"ErrorRateIncreaseNegative", with_strategy("{kind: canary, analysis: {max_error_rate_increase: -0.1}}"),
       msg("apps[0].strategy.analysis.max_error_rate_increase: must be between 0 and 1")},
      {"UnknownAnalysisKey", with_strategy("{kind: canary, analysis: {max_p50_ms: 3}}"),
       msg("apps[0].strategy.analysis.max_p50_ms: unknown key")},
      {"RollingNothingToReplace", with_strategy("{kind: rolling, max_surge: 0, max_unavailable: 0}"),
       msg("apps[0].strategy.max_unavailable: must be > 0 when max_surge is 0 (nothing could be replaced)")},
      {"RollingUnavailableAboveInstances", with_strategy("{kind: rolling, max_unavailable: 2}"),
       msg("apps[0].strategy.max_unavailable: must be <= driver.instances (1)")},
      {"PreviewNotBool", with_strategy("{kind: blue-green, preview: maybe}"),
       msg("apps[0].strategy.preview: must be true or false")},
      {"HookBoth", with_app("    hooks: {pre_deploy: [{run: a, http: \"http://x/\"}]}\n"),
       msg("apps[0].hooks.pre_deploy[0]: must have exactly one of 'run' or 'http'")},
      {"HookNeither", with_app("    hooks: {post_deploy: [{timeout_s: 3}]}\n"),
       msg("apps[0].hooks.post_deploy[0]: must have exactly one of 'run' or 'http'")},
      {"HookNotHttpUrl", with_app("    hooks: {per_step: [{http: \"ftp://x/\"}]}\n"),
       msg("apps[0].hooks.per_step[0].http: must be an http:// URL, got 'ftp://x/'")},
      {"HookZeroTimeout", with_app("    hooks: {pre_deploy: [{run: a, timeout_s: 0}]}\n"),
       msg("apps[0].hooks.pre_deploy[0].timeout_s: must be > 0")},
      {"UnknownHookPhase", with_app("    hooks: {pre_step: [{run: a}]}\n"), msg("apps[0].hooks.pre_step: unknown key")},
      {"ConfigUnknownEnvironment", with_app("    config: {prod: {A: b}}\n"),
       msg("apps[0].config.prod: unknown environment 'prod' (expected base or a declared environment)")},
      {"ConfigValueNotScalar", with_app("    config: {base: {A: {b: c}}}\n"), msg("apps[0].config.base.A: must be a scalar (string, number or boolean)")},
      {"ConfigScopeNotMap", with_app("    config: {base: [A]}\n"), msg("apps[0].config.base: must be a map")},
      {"ConfigBadVariable", with_app("    config: {staging: {9LIVES: b}}\n"),
       msg("apps[0].config.staging.9LIVES: must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), "
           "got '9LIVES'")},
      {"SecretBadName", with_app("    secrets: [db-password]\n"),
       msg("apps[0].secrets[0]: must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got 'db-password'")},
      {"SecretLowerCase", with_app("    secrets: [db_password]\n"),
       msg("apps[0].secrets[0]: must be a secret name ([A-Z_][A-Z0-9_]{0,63}), got 'db_password'")},
      {"SecretsKeyIsTheStateFile", "controller: {state: s.db, secrets_key_file: s.db}\n" + with_app(""),
       msg("controller.secrets_key_file: must not be the state file: the key never lives beside the data")},
      {"SecretDuplicate", with_app("    secrets: [A, A]\n"), msg("apps[0].secrets[1]: duplicate secret 'A'")},
      {"AppNameBad", kEnvs + "apps: [{name: \"shop/x\", route: shop, driver: {command: x}}]\n",
       msg("apps[0].name: must contain only letters, digits, '.', '_', '-' and '+', got 'shop/x'")},
  };
}

class BadControllerConfig : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadControllerConfig, IsRefusedWithExactMessage) {
  EXPECT_EQ(error_of(GetParam().yaml), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Table, BadControllerConfig, ::testing::ValuesIn(bad_configs()),
                         [](const auto& info) { return info.param.name; });

TEST(ControllerConfig, MinimalAppIsValid) { EXPECT_EQ(error_of(with_app("")), "<valid>"); }

// ${NAME} in a shell command is the shell's variable, not a misspelt placeholder; {NAME} still is.
TEST(ControllerConfig, ShellVariablesInTheCommandAreNotPlaceholders) {
  EXPECT_EQ(error_of(with_driver("{command: \"/bin/sh -c 'exec app --port {port} --db ${DB_URL}'\"}")), "<valid>");
  EXPECT_EQ(error_of(with_driver("{command: \"/bin/sh -c 'exec app --db {DB_URL}'\"}")),
            msg("apps[0].driver.command: unknown placeholder '{DB_URL}' (expected {port}, {version}, {env}, "
                "{instance} or {config_file})"));
}

}  // namespace
}  // namespace switchyard::config
