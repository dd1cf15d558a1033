// switchyard-controller as a process: configuration errors, --help/--version, the API token,
// and SIGTERM (a clean exit that leaves instances running for the next controller to adopt).
#include <gtest/gtest.h>

#include <signal.h>

#include <regex>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

class ControllerDaemonTest : public CustomControllerFixture {
 protected:
  // Runs the controller with `args` to its exit: code (nullopt on timeout) and output.
  CliRun run_controller(std::vector<std::string> args) {
    ChildProcess process(bin_path("switchyard-controller"), std::move(args));
    CliRun run;
    run.code = process.wait_exit(10s);
    run.output = process.output();
    return run;
  }
};

TEST_F(ControllerDaemonTest, BadConfigurationExitsTwoWithOneLineNamingTheKey) {
  const auto unknown = dir_.write_file("unknown.yaml", "controller:\n  listen: 127.0.0.1:0\n  bogus: 1\n");
  auto run = run_controller({"--config", unknown});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.output, unknown + ": controller.bogus: unknown key\n");

  const auto bad_admin = dir_.write_file(
      "admin.yaml",
      "controller:\n  listen: 127.0.0.1:0\n  state: " + dir_.path() + "/x.db\n"
      "environments:\n  - name: a\n    proxies:\n      - { admin: nothost }\napps: []\n");
  run = run_controller({"--config", bad_admin});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(std::regex_match(run.output, std::regex("^" + bad_admin + ": environments\\[0\\]\\.proxies\\[0\\]\\.admin: [^\n]+\n$")))
      << run.output;

  run = run_controller({"--config", dir_.path() + "/missing.yaml"});
  EXPECT_EQ(run.code, 2) << run.output;
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
}

TEST_F(ControllerDaemonTest, HelpAndVersionExitZero) {
  auto run = run_controller({"--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.output.find("--config"), std::string::npos) << run.output;
  run = run_controller({"--version"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.output.find("switchyard-controller"), std::string::npos) << run.output;
  run = run_controller({"--no-such-flag"});
  EXPECT_EQ(run.code, 2) << run.output;
}

TEST_F(ControllerDaemonTest, TokenGuardsTheApiButNotHealthz) {
  start_proxy(/*guard=*/false);
  const auto token_file = dir_.write_file("controller.token", "s3cret-token\n");
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 31300, 1, token_file});

  auto health = http_request("127.0.0.1", controller_port_, "GET", "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  auto bare = http_request("127.0.0.1", controller_port_, "GET", "/v1/envs");
  EXPECT_EQ(bare.status, 401) << bare.body;
  EXPECT_NE(bare.body.find("error"), std::string::npos) << bare.body;
  auto wrong = http_request("127.0.0.1", controller_port_, "GET", "/v1/envs", "", {{"Authorization", "Bearer nope"}});
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  auto good =
      http_request("127.0.0.1", controller_port_, "GET", "/v1/envs", "", {{"Authorization", "Bearer s3cret-token"}});
  EXPECT_EQ(good.status, 200) << good.body;
  auto post = http_request("127.0.0.1", controller_port_, "POST", "/v1/rollouts",
                           R"({"app":"shop","env":"test","version":"v2"})");
  EXPECT_EQ(post.status, 401) << post.body;

  auto run = cli({"--token-file", token_file, "env", "list"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("test"), std::string::npos) << run.output;
  run = cli({"env", "list"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("token"), std::string::npos) << run.output;
  run = cli({"--token-file", dir_.path() + "/absent.token", "env", "list"});
  EXPECT_EQ(run.code, 2) << run.output;
}

TEST_F(ControllerDaemonTest, SigtermExitsZeroAndTheNextControllerAdoptsTheInstances) {
  start_proxy(/*guard=*/false);
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 31400, 30, ""});
  start_traffic();
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  ASSERT_TRUE(eventually([&] { return split()["v2"] == 50; }, 30s)) << controller_->output();
  const auto pids = live_pids("v2");
  ASSERT_EQ(pids.size(), 2u);

  controller_->signal(SIGTERM);
  EXPECT_EQ(controller_->wait_exit(10s), 0) << controller_->output();
  controller_.reset();
  for (auto pid : pids) EXPECT_EQ(::kill(static_cast<pid_t>(pid), 0), 0) << "instance " << pid << " was stopped";
  EXPECT_EQ(split()["v2"], 50);

  start_controller();
  ASSERT_TRUE(eventually([&] { return controller_->output().find("adopted") != std::string::npos; }, 10s))
      << controller_->output();
  EXPECT_EQ(live_pids("v2"), pids);
  // The resumed rollout is the same one and still takes commands.
  int status = 0;
  for (int i = 0; i < 2 && !rollout(id).at("result").is_string(); ++i) {
    api("POST", "/v1/rollouts/" + std::to_string(id) + "/promote", "", &status);
    EXPECT_EQ(status, 200);
    eventually([&] { return split()["v2"] == 100; }, 15s);
  }
  ASSERT_EQ(wait_finished(id, 15s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
  EXPECT_EQ(live_pids("v2"), pids);  // the adopted instances now carry all the traffic

  // Once finished, a restart adopts the live version's instances again (they serve traffic).
  controller_->signal(SIGTERM);
  EXPECT_EQ(controller_->wait_exit(10s), 0) << controller_->output();
  start_controller();
  ASSERT_TRUE(eventually([&] { return controller_->output().find("adopted") != std::string::npos; }, 10s))
      << controller_->output();
  EXPECT_EQ(live_pids("v2"), pids);
  EXPECT_EQ(failures_, 0u);
}

}  // namespace
}  // namespace switchyard::test
