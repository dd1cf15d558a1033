// Hooks (docs/hooks.md) against real processes and a real HTTP receiver: environment,
// placeholders, captured output, timeouts killing the process group, http method/status/body.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "controller/engine/hook_runner.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace switchyard::controller::engine {
namespace {

using namespace std::chrono_literals;

HookContext context() {
  HookContext c;
  c.app = "shop";
  c.env = "prod";
  c.version = "v2";
  c.baseline = "v1";
  c.phase = "pre_traffic";
  c.step = 1;
  c.weight = 25;
  c.endpoints = {"127.0.0.1:19001", "127.0.0.1:19002"};
  c.rollout_id = 7;
  return c;
}

config::HookConfig http_hook(const std::string& url, const std::string& method, std::vector<std::uint32_t> expect) {
  config::HookConfig hook;
  hook.http = url;
  hook.method = method;
  hook.expect_status = std::move(expect);
  hook.timeout_s = 1;
  return hook;
}

TEST(HookHttpTest, RunHookGetsEnvironmentAndPlaceholdersAndItsOutputIsKept) {
  config::HookConfig hook;
  hook.run =
      "echo {app} {env} {version} {baseline} {step} {weight} {endpoints}; "
      "echo \"$SWITCHYARD_APP $SWITCHYARD_ENV $SWITCHYARD_VERSION $SWITCHYARD_BASELINE $SWITCHYARD_PHASE "
      "$SWITCHYARD_STEP $SWITCHYARD_WEIGHT $SWITCHYARD_ENDPOINTS $SWITCHYARD_ROLLOUT_ID\" >&2; exit 4";
  auto runs = run_hooks({hook}, context());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_FALSE(runs[0].ok);
  EXPECT_EQ(runs[0].exit_code, 4);
  EXPECT_EQ(runs[0].kind, "run");
  EXPECT_EQ(runs[0].phase, "pre_traffic");
  EXPECT_EQ(runs[0].output,
            "shop prod v2 v1 1 25 127.0.0.1:19001,127.0.0.1:19002\n"
            "shop prod v2 v1 pre_traffic 1 25 127.0.0.1:19001,127.0.0.1:19002 7\n");
  EXPECT_NE(runs[0].error.find("exited with code 4"), std::string::npos) << runs[0].error;
}

TEST(HookHttpTest, OutputIsBoundedToItsTail) {
  config::HookConfig hook;
  hook.run = "head -c 200000 /dev/zero | tr '\\0' a; echo END";
  auto runs = run_hooks({hook}, context());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].ok) << runs[0].error;
  EXPECT_EQ(runs[0].output.size(), kHookOutputLimit);
  EXPECT_TRUE(runs[0].output.ends_with("aaaEND\n"));
}

TEST(HookHttpTest, TimeoutKillsTheWholeProcessGroupAndSaysSo) {
  test::TempDir dir;
  config::HookConfig hook;
  hook.run = "sleep 30 & echo $! > " + dir.path() + "/pid; wait";
  hook.timeout_s = 1;
  const auto start = std::chrono::steady_clock::now();
  auto runs = run_hooks({hook}, context());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_FALSE(runs[0].ok);
  EXPECT_NE(runs[0].error.find("timed out after 1 s"), std::string::npos) << runs[0].error;
  EXPECT_FALSE(runs[0].exit_code.has_value());
  std::ifstream in(dir.path() + "/pid");
  pid_t grandchild = 0;
  ASSERT_TRUE(in >> grandchild);
  // The background sleep was in the hook's process group: it is gone too (reaped by init).
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (::kill(grandchild, 0) == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_NE(::kill(grandchild, 0), 0);
}

TEST(HookHttpTest, BackgroundProcessHoldingTheOutputDoesNotHoldTheHook) {
  test::TempDir dir;
  config::HookConfig hook;
  hook.run = "sleep 3 & echo $! > " + dir.path() + "/pid; echo started";
  hook.timeout_s = 10;
  const auto start = std::chrono::steady_clock::now();
  auto runs = run_hooks({hook}, context());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].ok) << runs[0].error;
  EXPECT_EQ(runs[0].output, "started\n");
  std::ifstream in(dir.path() + "/pid");
  pid_t background = 0;
  if (in >> background) ::kill(background, SIGKILL);
}

TEST(HookHttpTest, PostWithBodyHeadersAndExpectedStatus) {
  test::WebhookReceiver receiver([](std::size_t) { return 204; });
  auto hook = http_hook(receiver.url("/migrate/{version}"), "POST", {204});
  hook.body = R"({"version":"{version}","endpoints":"{endpoints}"})";
  hook.headers = {{"X-Deploy-Token", "abc"}};
  auto runs = run_hooks({hook}, context());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].ok) << runs[0].error;
  EXPECT_EQ(runs[0].http_status, 204);
  EXPECT_EQ(runs[0].kind, "http");
  EXPECT_EQ(runs[0].target, "POST " + receiver.url("/migrate/v2"));
  ASSERT_EQ(receiver.count(), 1u);
  const auto got = receiver.requests()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/migrate/v2");
  EXPECT_EQ(got.body, R"({"version":"v2","endpoints":"127.0.0.1:19001,127.0.0.1:19002"})");
  EXPECT_EQ(got.headers.at("x-deploy-token"), "abc");
}

TEST(HookHttpTest, UnexpectedStatusFailsAndDefaultIsAny2xx) {
  test::WebhookReceiver receiver([](std::size_t) { return 200; });
  auto runs = run_hooks({http_hook(receiver.url(), "PUT", {204, 202})}, context());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_FALSE(runs[0].ok);
  EXPECT_EQ(runs[0].http_status, 200);
  EXPECT_NE(runs[0].error.find("status 200, expected 204 or 202"), std::string::npos) << runs[0].error;
  EXPECT_NE(runs[0].output.find("received"), std::string::npos);
  EXPECT_TRUE(run_hooks({http_hook(receiver.url(), "GET", {})}, context())[0].ok);
}

TEST(HookHttpTest, HangingHttpHookTimesOut) {
  test::WebhookReceiver receiver([](std::size_t) { return -1; });
  const auto start = std::chrono::steady_clock::now();
  auto runs = run_hooks({http_hook(receiver.url(), "GET", {})}, context());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_FALSE(runs[0].ok);
  EXPECT_NE(runs[0].error.find("timed out"), std::string::npos) << runs[0].error;
}

}  // namespace
}  // namespace switchyard::controller::engine
