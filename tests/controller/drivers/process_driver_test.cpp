#include "controller/drivers/process_driver.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "controller/drivers/process_probe.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::drivers {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A port range of its own per test process, so that concurrent suites rarely meet.
config::DriverConfig driver_config(const std::string& command) {
  config::DriverConfig config;
  config.command = command;
  config.port_min = static_cast<std::uint16_t>(30000 + (::getpid() % 500) * 40);
  config.port_max = static_cast<std::uint16_t>(config.port_min + 39);
  config.stop_grace_ms = 3000;
  return config;
}

std::string demo_command() {
  return test::bin_path("switchyard-demo-backend") + " --port {port} --name {version}";
}

DeployRequest request(std::uint32_t count, std::string version = "v1") {
  return DeployRequest{"shop", "staging", std::move(version), count, 0, {}, {}};
}

class ProcessDriverTest : public ::testing::Test {
 protected:
  ProcessDriver make(const std::string& command) {
    ProcessDriverOptions options;
    options.driver = driver_config(command);
    options.log_dir = logs_.path() + "/logs";
    return ProcessDriver(options);
  }
  test::TempDir logs_;
};

TEST_F(ProcessDriverTest, DeploysHealthyInstancesThatAnswerWithTheirVersion) {
  auto driver = make(demo_command());
  ASSERT_TRUE(driver.valid()) << driver.template_error();
  const auto deployed = driver.deploy(request(2, "v7"));
  ASSERT_TRUE(deployed.ok) << deployed.error;
  ASSERT_EQ(deployed.instances.size(), 2u);
  EXPECT_NE(deployed.instances[0].port, deployed.instances[1].port);
  const auto report = driver.wait_healthy(deployed.instances, 10s);
  ASSERT_TRUE(report.all_healthy()) << report.error();
  for (const auto& instance : deployed.instances) {
    EXPECT_EQ(instance.endpoint, "127.0.0.1:" + std::to_string(instance.port));
    EXPECT_NE(instance.start_time, 0u);
    const auto answer = test::http_request("127.0.0.1", instance.port, "GET", "/");
    EXPECT_EQ(answer.status, 200) << answer.error;
    EXPECT_NE(answer.body.find("v7"), std::string::npos) << answer.body;
    EXPECT_EQ(instance.log_path, logs_.path() + "/logs/shop-staging-v7-" +
                                     std::to_string(instance.index) + ".log");
    EXPECT_NE(read_file(instance.log_path).find("listening on"), std::string::npos);
  }
  driver.retire(deployed.instances, 3s);
}

TEST_F(ProcessDriverTest, PassesEnvironmentVariablesToTheInstance) {
  auto driver = make("/bin/sh -c 'echo \"FOO is [$FOO] in {env}\"; exec " + demo_command() + "'");
  auto deploy = request(1);
  deploy.env_vars = {{"FOO", "bar baz"}, {"LOG_LEVEL", "debug"}};
  const auto deployed = driver.deploy(deploy);
  ASSERT_TRUE(deployed.ok) << deployed.error;
  const auto report = driver.wait_healthy(deployed.instances, 10s);
  ASSERT_TRUE(report.all_healthy()) << report.error();
  const auto log = read_file(deployed.instances[0].log_path);
  EXPECT_NE(log.find("FOO is [bar baz] in staging"), std::string::npos) << log;
  // The controller's own environment is inherited too.
  const std::string environ_text = read_file("/proc/" + std::to_string(deployed.instances[0].pid) + "/environ");
  EXPECT_NE(environ_text.find("LOG_LEVEL=debug"), std::string::npos);
  EXPECT_NE(environ_text.find("PATH="), std::string::npos);
  driver.retire(deployed.instances, 3s);
}

TEST_F(ProcessDriverTest, RetireStopsTheProcessesReapsThemAndFreesThePorts) {
  auto driver = make(demo_command());
  const auto deployed = driver.deploy(request(2));
  ASSERT_TRUE(deployed.ok) << deployed.error;
  ASSERT_TRUE(driver.wait_healthy(deployed.instances, 10s).all_healthy());
  const auto started = Clock::now();
  driver.retire(deployed.instances, 3s);
  EXPECT_LT(Clock::now() - started, 2500ms) << "SIGTERM suffices for the demo backend";
  EXPECT_EQ(driver.managed_count(), 0u);
  for (const auto& instance : deployed.instances) {
    EXPECT_FALSE(process_running(instance.pid));
    // Reaped: no zombie left for this process to collect.
    EXPECT_EQ(::waitpid(instance.pid, nullptr, WNOHANG), -1);
    EXPECT_FALSE(driver.ports().holds(instance.port));
    EXPECT_TRUE(port_is_free(instance.port));
  }
}

TEST_F(ProcessDriverTest, SigkillsAnInstanceThatIgnoresSigtermAfterTheGrace) {
  auto driver = make("/bin/sh -c 'trap \"\" TERM; echo up {port}; while :; do sleep 0.05; done'");
  const auto deployed = driver.deploy(request(1));
  ASSERT_TRUE(deployed.ok) << deployed.error;
  // The trap must be in place before the SIGTERM: wait (bounded) for the shell's line.
  const auto ready_by = Clock::now() + 5s;
  while (read_file(deployed.instances[0].log_path).find("up ") == std::string::npos &&
         Clock::now() < ready_by) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_NE(read_file(deployed.instances[0].log_path).find("up "), std::string::npos);
  const auto started = Clock::now();
  driver.retire(deployed.instances, 300ms);
  const auto took = Clock::now() - started;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 2500ms);
  EXPECT_FALSE(process_running(deployed.instances[0].pid));
  EXPECT_FALSE(group_running(deployed.instances[0].pid)) << "the whole group is gone";
}

TEST_F(ProcessDriverTest, CommandThatExitsAtOnceFailsHealthWithAClearError) {
  auto driver = make("/bin/sh -c 'echo boom on {port} >&2; exit 3'");
  const auto deployed = driver.deploy(request(1));
  ASSERT_TRUE(deployed.ok) << deployed.error;
  const auto started = Clock::now();
  const auto report = driver.wait_healthy(deployed.instances, 10s);
  EXPECT_LT(Clock::now() - started, 3s) << "an exited instance fails at once, not at the timeout";
  ASSERT_FALSE(report.all_healthy());
  const auto error = report.error();
  EXPECT_NE(error.find("exited with code 3 before becoming healthy"), std::string::npos) << error;
  EXPECT_NE(error.find("boom on " + std::to_string(deployed.instances[0].port)), std::string::npos)
      << error;
  driver.retire(deployed.instances, 1s);
  EXPECT_EQ(driver.managed_count(), 0u);
}

TEST_F(ProcessDriverTest, InstanceThatNeverAnswersTimesOutWithinTheBound) {
  auto driver = make("/bin/sh -c 'sleep 30 # {port}'");
  const auto deployed = driver.deploy(request(1));
  ASSERT_TRUE(deployed.ok) << deployed.error;
  const auto started = Clock::now();
  const auto report = driver.wait_healthy(deployed.instances, 400ms);
  const auto took = Clock::now() - started;
  EXPECT_GE(took, 400ms);
  EXPECT_LT(took, 1500ms);
  ASSERT_EQ(report.instances.size(), 1u);
  EXPECT_FALSE(report.instances[0].healthy);
  EXPECT_NE(report.error().find("not healthy within 400 ms"), std::string::npos) << report.error();
  driver.retire(deployed.instances, 1s);
}

TEST_F(ProcessDriverTest, MissingExecutableFailsTheDeployAndLeavesNothing) {
  auto driver = make("/nonexistent/switchyard-app --port {port}");
  const auto deployed = driver.deploy(request(2));
  EXPECT_FALSE(deployed.ok);
  EXPECT_NE(deployed.error.find("cannot start '/nonexistent/switchyard-app': No such file"),
            std::string::npos)
      << deployed.error;
  EXPECT_EQ(driver.managed_count(), 0u);
  EXPECT_EQ(driver.ports().held_count(), 0u);
}

TEST_F(ProcessDriverTest, PortExhaustionFailsTheDeployAndStopsWhatItStarted) {
  ProcessDriverOptions options;
  options.driver = driver_config(demo_command());
  options.driver.port_max = options.driver.port_min;  // room for one instance only
  options.log_dir = logs_.path();
  ProcessDriver driver(options);
  const auto deployed = driver.deploy(request(2));
  EXPECT_FALSE(deployed.ok);
  EXPECT_NE(deployed.error.find("no free port in"), std::string::npos) << deployed.error;
  EXPECT_TRUE(deployed.instances.empty());
  EXPECT_EQ(driver.managed_count(), 0u);
  EXPECT_EQ(driver.ports().held_count(), 0u);
}

TEST_F(ProcessDriverTest, BadTemplateIsReportedByEveryDeploy) {
  auto driver = make("demo 'unterminated");
  EXPECT_FALSE(driver.valid());
  const auto deployed = driver.deploy(request(1));
  EXPECT_FALSE(deployed.ok);
  EXPECT_NE(deployed.error.find("unterminated"), std::string::npos) << deployed.error;
}

TEST_F(ProcessDriverTest, AdoptsItsInstancesAfterARestartAndNothingElse) {
  std::vector<Instance> recorded;
  {
    auto first = make(demo_command());
    const auto deployed = first.deploy(request(2));
    ASSERT_TRUE(deployed.ok) << deployed.error;
    ASSERT_TRUE(first.wait_healthy(deployed.instances, 10s).all_healthy());
    recorded = deployed.instances;
  }  // the "old controller" goes away; its instances keep running

  test::ChildProcess stranger("/bin/sleep", {"30"});
  ASSERT_TRUE(stranger.started());
  Instance recycled = recorded[0];
  recycled.start_time += 1;  // same pid and port, another start: a recycled PID
  Instance foreign = recorded[1];
  foreign.pid = stranger.pid();
  foreign.start_time = 0;  // no start time recorded: the cmdline check decides
  Instance dead = recorded[1];
  dead.pid = 999999;

  auto second = make(demo_command());
  const auto adopted = second.adopt({recorded[0], recorded[1], recycled, foreign, dead});
  ASSERT_EQ(adopted.alive.size(), 2u);
  EXPECT_EQ(adopted.alive[0], recorded[0]);
  EXPECT_EQ(adopted.alive[1], recorded[1]);
  ASSERT_EQ(adopted.lost.size(), 3u);
  EXPECT_NE(adopted.reasons[0].find("reused"), std::string::npos) << adopted.reasons[0];
  EXPECT_NE(adopted.reasons[1].find("not this app's command"), std::string::npos)
      << adopted.reasons[1];
  EXPECT_NE(adopted.reasons[2].find("no longer running"), std::string::npos) << adopted.reasons[2];
  EXPECT_TRUE(second.ports().holds(recorded[0].port));

  // Health works on adopted instances; retire stops them; the stranger was never touched.
  EXPECT_TRUE(second.wait_healthy(adopted.alive, 5s).all_healthy());
  second.retire({recorded[0], recorded[1], foreign}, 3s);
  for (const auto& instance : recorded) EXPECT_FALSE(process_running(instance.pid));
  EXPECT_TRUE(process_running(stranger.pid()));
}

TEST_F(ProcessDriverTest, ReapCollectsAnExitedInstance) {
  auto driver = make("/bin/sh -c 'exit 0 # {port}'");
  const auto deployed = driver.deploy(request(1));
  ASSERT_TRUE(deployed.ok) << deployed.error;
  const pid_t pid = deployed.instances[0].pid;
  const auto deadline = Clock::now() + 5s;
  while (!driver.exit_of(pid) && Clock::now() < deadline) {
    driver.reap();
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(driver.exit_of(pid), "exited with code 0");
  EXPECT_FALSE(process_running(pid)) << "no zombie";
  driver.retire(deployed.instances, 1s);
}

}  // namespace
}  // namespace switchyard::controller::drivers
