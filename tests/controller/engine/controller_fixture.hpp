#pragma once
// End-to-end fixture for the controller: a real switchyard-proxy in front of a demo backend "v1",
// the real switchyard-controller (process driver starting real demo backends), a traffic thread
// through the proxy, and a small JSON client for the controller's API. Test thread owns it.

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "controller/store/state_store.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/demo_backend.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::test {

inline std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Polls `done` every 10 ms until it holds or `limit` passes.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class ControllerFixture : public ::testing::Test {
 protected:
  // `port_base`: start of this test's instance port range (tests may run in parallel).
  void start_all(int port_base) {
    baseline_ = std::make_unique<DemoBackend>("v1");
    ASSERT_TRUE(baseline_->ok());
    proxy_ = std::make_unique<ProxyProcess>(
        "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n"
        "upstreams:\n  - name: shop-v1\n    endpoints: [" + baseline_->address() + "]\n"
        "routes:\n  - name: shop\n    match: { path_prefix: / }\n"
        "    split:\n      - { version: v1, upstream: shop-v1, weight: 100 }\n");
    ASSERT_TRUE(proxy_->ok());
    // v3 is the faulty build: every catch-all answer is a 500.
    const std::string command = "/bin/sh -c 'exec " + bin_path("switchyard-demo-backend") +
                                " --port {port} --name {version} $(test {version} = v3 && echo --error-rate 1)'";
    config_path_ = dir_.write_file(
        "controller.yaml",
        "controller:\n  listen: 127.0.0.1:0\n  state: " + dir_.path() + "/state.db\n"
        "environments:\n  - name: test\n    proxies:\n      - { admin: 127.0.0.1:" +
            std::to_string(proxy_->admin_port()) + " }\n"
        "apps:\n  - name: shop\n    route: shop\n    driver:\n      kind: process\n"
        "      command: \"" + command + "\"\n      instances: 2\n"
        "      ports: " + std::to_string(port_base) + "-" + std::to_string(port_base + 49) + "\n"
        "      health_path: /healthz\n      stop_grace_ms: 1000\n"
        "    strategy:\n      kind: canary\n      steps: [50, 100]\n      pause_s: 1\n"
        "      analysis: { max_error_rate: 0.05, min_requests: 20 }\n");
    start_controller();
    traffic_ = std::thread([this] { send_traffic(); });
  }

  void start_controller() {
    controller_ = std::make_unique<ChildProcess>(bin_path("switchyard-controller"),
                                                 std::vector<std::string>{"--config", config_path_});
    auto line = controller_->wait_for_line(std::regex("^switchyard-controller listening on .*:[0-9]+$"));
    ASSERT_TRUE(line);
    controller_port_ = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
  }

  void kill_controller() {
    controller_->signal(SIGKILL);
    ASSERT_TRUE(controller_->wait_exit(std::chrono::seconds(5)));
    controller_.reset();
  }

  void TearDown() override {
    stop_ = true;
    if (traffic_.joinable()) traffic_.join();
    controller_.reset();
    // Instances outlive the controller on purpose (re-adoption): stop the ones it recorded.
    controller::store::StateStore store;
    if (!config_path_.empty() && store.open(dir_.path() + "/state.db").ok()) {
      auto live = store.live_instances();
      for (const auto& row : live.value()) {
        if (row.pid > 1) ::kill(static_cast<pid_t>(row.pid), SIGKILL);
      }
    }
  }

  void send_traffic() {
    HttpClient client("127.0.0.1", proxy_->port(), std::chrono::seconds(2));
    while (!stop_) {
      auto response = client.request("GET", "/");
      ++requests_;
      if (!response.ok() || response.status >= 500) ++failures_;
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  }

  boost::json::value api(const std::string& method, const std::string& target, const std::string& body = "",
                         int* status = nullptr) {
    auto response = http_request("127.0.0.1", controller_port_, method, target, body, {}, std::chrono::seconds(5));
    if (status) *status = response.status;
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    return ec ? boost::json::value() : value;
  }

  boost::json::object rollout(std::int64_t id) {
    auto value = api("GET", "/v1/rollouts/" + std::to_string(id));
    return value.is_object() ? value.get_object() : boost::json::object();
  }

  // The proxy's split of route shop: version -> weight.
  std::map<std::string, std::int64_t> split() {
    auto response = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/routes/shop");
    std::map<std::string, std::int64_t> out;
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    if (ec || !value.is_object()) return out;
    for (const auto& entry : value.at("split").as_array()) {
      out[std::string(entry.at("version").as_string())] = entry.at("weight").to_number<std::int64_t>();
    }
    return out;
  }

  std::int64_t start_rollout(const std::string& version) {
    int status = 0;
    auto created = api("POST", "/v1/rollouts", R"({"app":"shop","env":"test","version":")" + version + "\"}", &status);
    EXPECT_EQ(status, 201) << boost::json::serialize(created);
    return created.is_object() && created.get_object().contains("id") ? created.at("id").as_int64() : 0;
  }

  // Waits (bounded) for the rollout to finish; its result or "" on timeout.
  std::string wait_finished(std::int64_t id, std::chrono::milliseconds limit) {
    std::string result;
    eventually(
        [&] {
          auto row = rollout(id);
          if (!row.contains("result") || !row.at("result").is_string()) return false;
          result = std::string(row.at("result").as_string());
          return true;
        },
        limit);
    return result;
  }

  TempDir dir_;
  std::string config_path_;
  std::unique_ptr<DemoBackend> baseline_;
  std::unique_ptr<ProxyProcess> proxy_;
  std::unique_ptr<ChildProcess> controller_;
  std::uint16_t controller_port_ = 0;
  std::thread traffic_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> failures_{0};
};

// ---- Appended helpers: several environments, a guarded route, the CLI, a token. ----

// One environment of a custom controller configuration.
struct EnvYaml {
  std::string name;
  std::uint16_t admin_port = 0;
  std::string requires_env;  // "" = none
};

// What differs from start_all's configuration.
struct ControllerYaml {
  std::vector<EnvYaml> envs;
  int port_base = 0;
  int pause_s = 1;
  std::string token_file;  // "" = no token
};

// A proxy with route shop split to v1 at 100 (upstream shop-v1 on `backend`); with `guard`, the
// route reverts to v1 when more than 5% of 20+ requests in a 2 s window fail.
inline std::unique_ptr<ProxyProcess> make_shop_proxy(const DemoBackend& backend, bool guard) {
  std::string yaml = "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n"
                     "upstreams:\n  - name: shop-v1\n    endpoints: [" + backend.address() + "]\n"
                     "routes:\n  - name: shop\n    match: { path_prefix: / }\n"
                     "    split:\n      - { version: v1, upstream: shop-v1, weight: 100 }\n";
  if (guard) yaml += "    guard: { revert_to: v1, window_ms: 2000, min_requests: 20, max_error_rate: 0.05 }\n";
  return std::make_unique<ProxyProcess>(yaml);
}

// The controller configuration of start_all (v3 faulty, canary [50, 100]) with `spec`'s changes.
inline std::string controller_yaml(const std::string& state_dir, const ControllerYaml& spec) {
  std::string yaml = "controller:\n  listen: 127.0.0.1:0\n  state: " + state_dir + "/state.db\n";
  if (!spec.token_file.empty()) yaml += "  token_file: " + spec.token_file + "\n";
  yaml += "environments:\n";
  for (const auto& env : spec.envs) {
    yaml += "  - name: " + env.name + "\n";
    if (!env.requires_env.empty()) yaml += "    requires: [" + env.requires_env + "]\n";
    yaml += "    proxies:\n      - { admin: 127.0.0.1:" + std::to_string(env.admin_port) + " }\n";
  }
  const std::string command = "/bin/sh -c 'exec " + bin_path("switchyard-demo-backend") +
                              " --port {port} --name {version} $(test {version} = v3 && echo --error-rate 1)'";
  yaml += "apps:\n  - name: shop\n    route: shop\n    driver:\n      kind: process\n"
          "      command: \"" + command + "\"\n      instances: 2\n"
          "      ports: " + std::to_string(spec.port_base) + "-" + std::to_string(spec.port_base + 49) + "\n"
          "      health_path: /healthz\n      stop_grace_ms: 1000\n"
          "    strategy:\n      kind: canary\n      steps: [50, 100]\n      pause_s: " +
          std::to_string(spec.pause_s) + "\n      analysis: { max_error_rate: 0.05, min_requests: 20 }\n";
  return yaml;
}

// The exit code (nullopt: it did not exit within 30 s) and everything it printed.
struct CliRun {
  std::optional<int> code;
  std::string output;
};

// Runs the real `switchyard` CLI against `controller_port` with `args`.
inline CliRun run_cli(std::uint16_t controller_port, std::vector<std::string> args) {
  args.insert(args.begin(), {"--controller", "127.0.0.1:" + std::to_string(controller_port)});
  ChildProcess cli(bin_path("switchyard"), std::move(args));
  CliRun run;
  run.code = cli.wait_exit(std::chrono::seconds(30));
  run.output = cli.output();
  return run;
}

// Parses the proxy's event time ("2024-05-01T12:00:00.123Z") to ms since the epoch; 0 if malformed.
inline std::int64_t rfc3339_ms(const std::string& text) {
  std::tm utc{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &utc.tm_year, &utc.tm_mon, &utc.tm_mday, &utc.tm_hour,
                  &utc.tm_min, &utc.tm_sec, &millis) != 7) {
    return 0;
  }
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return static_cast<std::int64_t>(::timegm(&utc)) * 1000 + millis;
}

// ControllerFixture started piece by piece: the tests choose the proxies, environments, pause and
// token. Test thread owns it; TearDown (inherited) stops traffic, controller and instances.
class CustomControllerFixture : public ControllerFixture {
 protected:
  // The v1 backend and proxy_ in front of it (guarded or not).
  void start_proxy(bool guard) {
    baseline_ = std::make_unique<DemoBackend>("v1");
    ASSERT_TRUE(baseline_->ok());
    proxy_ = make_shop_proxy(*baseline_, guard);
    ASSERT_TRUE(proxy_->ok());
  }

  void start_controller_with(const ControllerYaml& spec) {
    config_path_ = dir_.write_file("controller.yaml", controller_yaml(dir_.path(), spec));
    start_controller();
  }

  void start_traffic() { traffic_ = std::thread([this] { send_traffic(); }); }

  CliRun cli(std::vector<std::string> args) { return run_cli(controller_port_, std::move(args)); }

  // PIDs of the instances of `version` the controller records as live.
  std::vector<std::int64_t> live_pids(const std::string& version) {
    std::vector<std::int64_t> out;
    controller::store::StateStore store;
    if (!store.open(dir_.path() + "/state.db").ok()) return out;
    auto live = store.live_instances();
    if (!live.ok()) return out;
    for (const auto& row : live.value()) {
      if (row.version == version) out.push_back(row.pid);
    }
    return out;
  }
};

}  // namespace switchyard::test
