#pragma once
// Typed, validated controller configuration (SPEC §6). Pure data: no sockets, no threads.
// Produced by load_controller_config(); every value here has passed validation.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/proxy_config.hpp"
#include "config/version_order.hpp"

namespace switchyard::config {

struct ControllerSettings {
  HostPort listen{"127.0.0.1", 9900};
  std::string state = "switchyard.db";  // SQLite file, resolved against the config file's directory
  std::string token_file;               // empty = no token required
  std::string secrets_key_file;         // extension: AES-256 key of the secret store (docs/secrets.md)
  friend bool operator==(const ControllerSettings&, const ControllerSettings&) = default;
};

struct ProxyTarget {
  HostPort admin;          // the proxy's admin address
  std::string token_file;  // empty = no token
  friend bool operator==(const ProxyTarget&, const ProxyTarget&) = default;
};

struct EnvironmentConfig {
  std::string name;
  std::vector<ProxyTarget> proxies;
  std::vector<std::string> requires_envs;  // `requires:` — environments where a version must have succeeded
  std::map<std::string, std::string> config;  // extension: env-wide variables handed to every instance
  std::string remediate = "report";          // drift: report | auto (docs/drift.md)
  std::uint32_t drift_interval_ms = 200;     // `drift: {interval_ms}`: how often each proxy is compared
  friend bool operator==(const EnvironmentConfig&, const EnvironmentConfig&) = default;
};

struct DriverConfig {
  std::string kind = "process";  // process (systemd, kubernetes later)
  std::string command;           // template: {port} {version} {env} {instance} {config_file}
  std::uint32_t instances = 1;
  std::uint16_t port_min = 19000;  // `ports: 19000-19999`
  std::uint16_t port_max = 19999;
  std::string health_path = "/healthz";
  std::uint32_t health_timeout_ms = 10000;  // extension: how long a new instance may take to be healthy
  std::uint32_t stop_grace_ms = 5000;       // extension: SIGTERM, then SIGKILL after this
  friend bool operator==(const DriverConfig&, const DriverConfig&) = default;
};

struct AnalysisConfig {
  double max_error_rate = 0.01;
  std::uint32_t max_p99_ms = 0;          // 0 = off
  std::uint32_t min_requests = 100;
  double max_error_rate_increase = 0.0;  // extension: allowed margin over the baseline's error rate (0 = off)
  std::uint32_t inconclusive_limit = 10; // extension: inconclusive analyses in a row before the step fails
  friend bool operator==(const AnalysisConfig&, const AnalysisConfig&) = default;
};

struct StrategyConfig {
  std::string kind = "canary";  // canary | blue-green | rolling | recreate
  std::vector<std::uint32_t> steps{5, 10, 25, 50, 100};  // canary: percent of traffic per step
  std::uint32_t pause_s = 30;                            // canary: time per step before analysis
  AnalysisConfig analysis;
  // blue-green
  bool preview = false;                  // pin the new colour by override_header before switching
  std::uint32_t scale_down_delay_s = 30; // keep the old colour this long after the switch
  // rolling
  std::uint32_t max_surge = 1;
  std::uint32_t max_unavailable = 0;
  friend bool operator==(const StrategyConfig&, const StrategyConfig&) = default;
};

// A gate or hook: exactly one of `run` (a shell command) or `http` (a URL to call), docs/hooks.md.
struct HookConfig {
  std::string run;
  std::string http;
  std::uint32_t timeout_s = 60;
  // http: only (extension).
  std::string method = "GET";
  std::vector<std::uint32_t> expect_status{};  // empty = any 2xx
  std::string body{};
  std::map<std::string, std::string> headers{};
  friend bool operator==(const HookConfig&, const HookConfig&) = default;
};

struct HooksConfig {
  std::vector<HookConfig> pre_deploy;
  std::vector<HookConfig> per_step;
  std::vector<HookConfig> post_deploy;
  std::vector<HookConfig> pre_traffic{};  // extension: new instances healthy + registered at weight 0
  std::vector<HookConfig> on_rollback{};  // after the baseline is restored; failures do not change the outcome
  friend bool operator==(const HooksConfig&, const HooksConfig&) = default;
};

struct AppConfig {
  std::string name;
  std::string route;  // the proxy route whose split this app's versions share
  DriverConfig driver;
  StrategyConfig strategy;
  HooksConfig hooks;
  // `config: {base: {...}, <env>: {...}}`: base first, the environment's keys override it.
  std::map<std::string, std::map<std::string, std::string>> config;
  std::vector<std::string> secrets;
  std::vector<AppDependency> depends_on;  // `depends_on: ["payments >= 2.1"]`: live versions required per env
  friend bool operator==(const AppConfig&, const AppConfig&) = default;
};

// One webhook of `notifications.webhooks` (docs/notifications.md).
struct WebhookConfig {
  std::string name{};               // defaults to the URL
  std::string url{};                // http://host:port/path
  std::vector<std::string> events{};  // event kinds; empty = all
  std::string format = "json";      // json | slack (adds a `text` summary)
  std::uint32_t timeout_ms = 2000;
  std::uint32_t retries = 5;
  std::uint32_t backoff_ms = 200;   // doubled after each failed attempt, capped at 30 s
  std::uint32_t queue_limit = 1000; // events waiting; the oldest is dropped when full
  std::map<std::string, std::string> headers{};
  friend bool operator==(const WebhookConfig&, const WebhookConfig&) = default;
};

struct NotificationsConfig {
  std::vector<WebhookConfig> webhooks{};
  friend bool operator==(const NotificationsConfig&, const NotificationsConfig&) = default;
};

struct ControllerConfig {
  ControllerSettings controller;
  std::vector<EnvironmentConfig> environments;
  std::vector<AppConfig> apps;
  NotificationsConfig notifications{};
  friend bool operator==(const ControllerConfig&, const ControllerConfig&) = default;

  const EnvironmentConfig* find_environment(const std::string& name) const;
  const AppConfig* find_app(const std::string& name) const;
};

}  // namespace switchyard::config
