// Secrets end to end (docs/secrets.md): the real controller, CLI, proxy and demo backends. A
// secret set with the CLI reaches the instances of an app that lists it, and its plaintext shows
// nowhere else: not in logs, API answers, process listings, environments or the state file.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "controller/secrets/secret_cipher.hpp"
#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string command_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

class ControllerSecretsTest : public CustomControllerFixture {
 protected:
  // A 0600 key file of 64 hex characters made of `digit`.
  std::string key_file(const std::string& name, char digit) {
    const auto path = dir_.write_file(name, std::string(64, digit) + "\n");
    ::chmod(path.c_str(), 0600);
    return path;
  }

  // start_controller_with's configuration plus the key (file or none) and `secrets: [DB_PASSWORD]`.
  void start_with_key(const std::string& key_path, int port_base, std::vector<std::string> extra_env = {},
                      const std::string& strategy = "") {
    auto yaml = controller_yaml(dir_.path(), {{{"test", proxy_->admin_port(), ""}}, port_base, 1, ""});
    if (!strategy.empty()) {
      const auto from = yaml.find("    strategy:\n");
      const auto to = yaml.find("analysis:", from);
      yaml.replace(from, yaml.find('\n', to) + 1 - from, "    strategy:\n" + strategy);
    }
    if (!key_path.empty()) {
      const auto state_line = yaml.find("state.db\n") + std::string("state.db\n").size();
      yaml.insert(state_line, "  secrets_key_file: " + key_path + "\n");
    }
    yaml += "    secrets: [DB_PASSWORD]\n";
    config_path_ = dir_.write_file("controller.yaml", yaml);
    controller_ = std::make_unique<ChildProcess>(bin_path("switchyard-controller"),
                                                 std::vector<std::string>{"--config", config_path_},
                                                 std::move(extra_env));
    auto line = controller_->wait_for_line(std::regex("^switchyard-controller listening on .*:[0-9]+$"));
    ASSERT_TRUE(line);
    controller_port_ = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
  }

  void stop_controller() {
    controller_->signal(SIGTERM);
    ASSERT_TRUE(controller_->wait_exit(10s));
  }

  // `switchyard secrets set NAME` with the value on standard input (from a 0600 file).
  CliRun set_from_stdin(const std::string& name, const std::string& value) {
    const auto file = dir_.write_file("value.txt", value + "\n");
    ::chmod(file.c_str(), 0600);
    ChildProcess cli("/bin/sh", {"-c", bin_path("switchyard") + " --controller 127.0.0.1:" +
                                           std::to_string(controller_port_) + " secrets set " + name + " < " + file});
    CliRun run;
    run.code = cli.wait_exit(30s);
    run.output = cli.output();
    std::filesystem::remove(file);
    return run;
  }

  std::string api_text(const std::string& method, const std::string& target, int* status = nullptr) {
    auto response = http_request("127.0.0.1", controller_port_, method, target, "", {}, 5s);
    if (status) *status = response.status;
    return response.body;
  }
};

TEST_F(ControllerSecretsTest, SecretReachesTheInstanceAndLeaksNowhere) {
  const std::string secret = "Sw0rdf1sh-" + std::to_string(::getpid()) + "-" + std::to_string(wall_ms());
  const auto key_hex = std::string(64, '7');
  start_proxy(/*guard=*/false);
  // The key from the environment: the controller must not hand it on to its instances.
  start_with_key("", 31400, {"SWITCHYARD_SECRETS_KEY=" + key_hex});
  start_traffic();

  auto run = set_from_stdin("DB_PASSWORD", secret);
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("secret DB_PASSWORD version 1 stored"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("used by app shop"), std::string::npos) << run.output;

  const auto id = start_rollout("v2");
  ASSERT_EQ(wait_finished(id, 60s), "succeeded") << controller_->output();

  // The instances received it (their SHA-256 of it matches) through fd 3.
  controller::store::StateStore store;
  ASSERT_TRUE(store.open(dir_.path() + "/state.db").ok());
  auto instances = store.list_instances("shop", "test", "v2");
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances.value().size(), 2u);
  for (const auto& row : instances.value()) {
    auto response = http_request("127.0.0.1", static_cast<std::uint16_t>(row.port), "GET", "/admin/secrets");
    ASSERT_EQ(response.status, 200) << response.body;
    auto summary = boost::json::parse(response.body);
    EXPECT_EQ(summary.at("DB_PASSWORD").at("sha256").as_string(), controller::secrets::sha256_hex(secret));
    EXPECT_EQ(summary.at("DB_PASSWORD").at("length").as_int64(), static_cast<std::int64_t>(secret.size()));
    EXPECT_EQ(response.body.find(secret), std::string::npos);
    // Neither the value nor the key in the instance's command line or environment.
    for (const char* file : {"/cmdline", "/environ"}) {
      const auto text = read_all("/proc/" + std::to_string(row.pid) + file);
      EXPECT_EQ(text.find(secret), std::string::npos) << file;
      EXPECT_EQ(text.find(key_hex), std::string::npos) << file;
    }
    EXPECT_NE(read_all("/proc/" + std::to_string(row.pid) + "/environ").find("SWITCHYARD_SECRETS_FD=3"),
              std::string::npos);
    EXPECT_EQ(read_all(row.log_path).find(secret), std::string::npos) << row.log_path;
  }

  // Process listings, with environments.
  EXPECT_EQ(command_output("ps -eo args").find(secret), std::string::npos);
  const auto with_env = command_output("ps e -e -o args 2>/dev/null");
  EXPECT_NE(with_env.find("SWITCHYARD_SECRETS_FD=3"), std::string::npos);  // the listing shows the instances' env
  EXPECT_EQ(with_env.find(secret), std::string::npos);

  // API answers other than reveal.
  for (const std::string& target : std::vector<std::string>{"/v1/secrets", "/v1/secrets/DB_PASSWORD", "/v1/secrets/DB_PASSWORD/history",
                                   "/v1/rollouts", "/v1/rollouts/" + std::to_string(id), "/v1/apps"}) {
    int status = 0;
    const auto body = api_text("GET", target, &status);
    EXPECT_EQ(status, 200) << target << ": " << body;
    EXPECT_EQ(body.find(secret), std::string::npos) << target;
  }
  const auto history = boost::json::parse(api_text("GET", "/v1/secrets/DB_PASSWORD/history"));
  bool resolved = false;
  for (const auto& row : history.at("audit").as_array()) {
    if (row.at("action").as_string() == "resolve") {
      resolved = true;
      EXPECT_EQ(row.at("actor").as_string(), "controller");
      EXPECT_EQ(row.at("version").as_int64(), 1);
      EXPECT_EQ(row.at("detail").as_string(), "app=shop env=test version=v2");
    }
  }
  EXPECT_TRUE(resolved) << boost::json::serialize(history);

  // Reveal: the one answer with the value, audited with the actor.
  run = cli({"secrets", "get", "DB_PASSWORD"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output, secret + "\n");
  EXPECT_NE(api_text("GET", "/v1/secrets/DB_PASSWORD/history").find("\"action\":\"get\""), std::string::npos);

  // The controller's own output and the state file's bytes, after all of the above.
  stop_controller();
  EXPECT_EQ(controller_->output().find(secret), std::string::npos) << controller_->output();
  for (const auto& file : {dir_.path() + "/state.db", dir_.path() + "/state.db-wal"}) {
    EXPECT_EQ(read_all(file).find(secret), std::string::npos) << file;
    EXPECT_EQ(read_all(file).find(key_hex), std::string::npos) << file;
  }
}

TEST_F(ControllerSecretsTest, RollingReplacementsGetTheCurrentVersion) {
  start_proxy(/*guard=*/false);
  start_with_key(key_file("r.key", 'e'), 31550, {}, "      kind: rolling\n      max_surge: 1\n      max_unavailable: 0\n");
  start_traffic();
  const auto file = dir_.write_file("r.txt", "rolling-first");
  ASSERT_EQ(cli({"secrets", "set", "DB_PASSWORD", "--from-file", file}).code, 0);
  const auto rotated = dir_.write_file("r2.txt", "rolling-second");
  auto run = cli({"secrets", "rotate", "DB_PASSWORD", "--from-file", rotated});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("version 2 stored"), std::string::npos) << run.output;
  const auto id = start_rollout("v2");
  ASSERT_EQ(wait_finished(id, 60s), "succeeded") << controller_->output();
  EXPECT_EQ(rollout(id).at("strategy").as_string(), "rolling");
  controller::store::StateStore store;
  ASSERT_TRUE(store.open(dir_.path() + "/state.db").ok());
  auto instances = store.list_instances("shop", "test", "v2");
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances.value().size(), 2u);
  for (const auto& row : instances.value()) {
    auto response = http_request("127.0.0.1", static_cast<std::uint16_t>(row.port), "GET", "/admin/secrets");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(boost::json::parse(response.body).at("DB_PASSWORD").at("sha256").as_string(),
              controller::secrets::sha256_hex("rolling-second"));
  }
  EXPECT_EQ(failures_, 0u);
}

// A rotation is a configuration change of every app that uses the secret: it starts a
// config-only rollout (same strategy and analysis) wherever the app runs, and the replacing
// instances get the new value while traffic keeps flowing.
TEST_F(ControllerSecretsTest, RotationRollsTheInstancesThatUseIt) {
  start_proxy(/*guard=*/false);
  start_with_key(key_file("rot.key", 'c'), 31650);
  start_traffic();
  ASSERT_EQ(cli({"secrets", "set", "DB_PASSWORD", "--from-file", dir_.write_file("one.txt", "first-value")}).code, 0);
  const auto first = start_rollout("v2");
  ASSERT_EQ(wait_finished(first, 60s), "succeeded") << controller_->output();

  auto run = cli({"--output", "json", "secrets", "rotate", "DB_PASSWORD", "--from-file",
                  dir_.write_file("two.txt", "second-value")});
  ASSERT_EQ(run.code, 0) << run.output;
  auto answer = boost::json::parse(run.output);
  ASSERT_EQ(answer.at("rollouts").as_array().size(), 1u) << run.output;
  const auto& started = answer.at("rollouts").as_array()[0];
  EXPECT_EQ(started.at("app").as_string(), "shop");
  EXPECT_EQ(started.at("env").as_string(), "test");
  ASSERT_EQ(started.at("status").as_int64(), 201) << run.output;
  const auto id = started.at("rollout_id").as_int64();
  ASSERT_EQ(wait_finished(id, 60s), "succeeded") << controller_->output();

  const auto label = std::string(rollout(id).at("version").as_string());
  EXPECT_EQ(label.rfind("v2+cfg.", 0), 0u) << label;
  EXPECT_EQ(rollout(id).at("baseline_version").as_string(), "v2");
  controller::store::StateStore store;
  ASSERT_TRUE(store.open(dir_.path() + "/state.db").ok());
  auto instances = store.list_instances("shop", "test", label);
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances.value().size(), 2u);
  for (const auto& row : instances.value()) {
    auto response = http_request("127.0.0.1", static_cast<std::uint16_t>(row.port), "GET", "/admin/secrets");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(boost::json::parse(response.body).at("DB_PASSWORD").at("sha256").as_string(),
              controller::secrets::sha256_hex("second-value"));
  }
  // The v2 instances with the old value were retired; the split holds the new label alone.
  auto old = store.list_instances("shop", "test", "v2");
  ASSERT_TRUE(old.ok());
  for (const auto& row : old.value()) EXPECT_EQ(row.state, "stopped") << row.pid;
  auto split = http_request("127.0.0.1", proxy_->admin_port(), "GET", "/v1/routes/shop");
  EXPECT_NE(split.body.find(label), std::string::npos) << split.body;
  EXPECT_EQ(failures_, 0u);
}

TEST_F(ControllerSecretsTest, WrongKeyFailsCleanlyAndRekeySwitchesKeys) {
  start_proxy(/*guard=*/false);
  const auto key_a = key_file("a.key", 'a');
  start_with_key(key_a, 31450);
  const auto value_file = dir_.write_file("v.txt", "first-value");
  auto run = cli({"secrets", "set", "DB_PASSWORD", "--from-file", value_file});
  ASSERT_EQ(run.code, 0) << run.output;
  stop_controller();

  // Another key: the controller runs, every secret call fails with the message, no garbage.
  start_with_key(key_file("b.key", 'b'), 31450);
  run = cli({"secrets", "get", "DB_PASSWORD"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("switchyard: secrets key does not match the store (key id "), std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("first-value"), std::string::npos);
  int status = 0;
  api_text("GET", "/v1/secrets", &status);
  EXPECT_EQ(status, 503);
  stop_controller();

  // The right key; rekey to C switches the running controller.
  start_with_key(key_a, 31450);
  const auto key_c = key_file("c.key", 'c');
  run = cli({"secrets", "rekey", "--new-key-file", key_c});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("1 secret versions re-encrypted"), std::string::npos) << run.output;
  run = cli({"secrets", "get", "DB_PASSWORD"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output, "first-value\n");
  stop_controller();

  start_with_key(key_a, 31450);  // the old key no longer opens the store
  run = cli({"secrets", "get", "DB_PASSWORD"});
  EXPECT_EQ(run.code, 1) << run.output;
  stop_controller();
  start_with_key(key_c, 31450);
  run = cli({"secrets", "get", "DB_PASSWORD"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output, "first-value\n");
  run = cli({"secrets", "list"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("DB_PASSWORD"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("first-value"), std::string::npos) << run.output;
}

TEST_F(ControllerSecretsTest, WithoutAKeySecretCallsAnd503AndRolloutsThatNeedThemFail) {
  start_proxy(/*guard=*/false);
  start_with_key("", 31500);
  const std::string message = "no secrets key configured (controller.secrets_key_file or SWITCHYARD_SECRETS_KEY)";
  auto run = cli({"secrets", "list"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find(message), std::string::npos) << run.output;
  const auto id = start_rollout("v2");
  EXPECT_EQ(wait_finished(id, 30s), "failed");
  EXPECT_NE(boost::json::serialize(rollout(id)).find(message), std::string::npos) << boost::json::serialize(rollout(id));
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));

  // A key file others may read is refused as configuration (exit 2), naming the key.
  const auto loose = key_file("loose.key", 'd');
  ::chmod(loose.c_str(), 0644);
  auto yaml = read_all(config_path_);
  yaml.insert(yaml.find("state.db\n") + 9, "  secrets_key_file: " + loose + "\n");
  const auto bad_config = dir_.write_file("bad.yaml", yaml);
  ChildProcess check(bin_path("switchyard-controller"), {"--config", bad_config, "--check"});
  EXPECT_EQ(check.wait_exit(10s), 2);
  EXPECT_NE(check.output().find("controller.secrets_key_file: '" + loose + "': must not be readable"), std::string::npos)
      << check.output();
}

}  // namespace
}  // namespace switchyard::test
