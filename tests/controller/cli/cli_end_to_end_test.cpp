// The real `switchyard` binary against a fake controller that answers per docs/controller-api.md.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <regex>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tests/controller/cli/fake_controller.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::test {
namespace {

namespace json = boost::json;

const std::string kRollout = R"({"id":7,"app":"shop","env":"staging","version":"v2",
  "baseline_version":"v1","strategy":"canary","state":"progressing","step_index":0,"weight":5,
  "paused":false,"started_ms":1714564800000,"updated_ms":1714564800000,"finished_ms":null,
  "result":null,"reason":"","forced_by":null,"forced_reason":null})";

std::string with(const std::string& rollout, const std::string& key, const std::string& value) {
  json::value parsed = json::parse(rollout);
  parsed.as_object()[key] = json::parse(value);
  return json::serialize(parsed);
}

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

CliRun run_cli(std::vector<std::string> args, std::vector<std::string> env = {}) {
  ChildProcess child(bin_path("switchyard"), std::move(args), std::move(env));
  EXPECT_TRUE(child.started());
  const auto code = child.wait_exit(std::chrono::seconds(20));
  EXPECT_TRUE(code.has_value()) << child.output();
  return {code.value_or(-1), child.output()};
}

// Answers the calls a rollout action makes: the active-rollout lookup and the action itself.
FakeReply rollout_api(const RecordedRequest& request, bool active) {
  if (request.method == "GET" && request.target.rfind("/v1/rollouts?", 0) == 0)
    return {200, active ? R"({"rollouts":[)" + kRollout + "]}" : R"({"rollouts":[]})"};
  if (request.method == "POST" && request.target.rfind("/v1/rollouts/7/", 0) == 0)
    return {200, with(kRollout, "step_index", "1")};
  return {404, R"({"error":"no such call"})"};
}

TEST(CliEndToEnd, RolloutStartSendsTheBodyAndShowsTheRollout) {
  FakeController controller([](const RecordedRequest&) { return FakeReply{201, kRollout}; });
  const CliRun run = run_cli({"--controller", controller.url(), "rollout", "start", "shop", "--env",
                           "staging", "--version", "v2", "--force", "--reason", "hot fix"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const auto requests = controller.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/rollouts");
  EXPECT_EQ(requests[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(requests[0].headers.count("authorization"), 0u);
  EXPECT_EQ(json::parse(requests[0].body),
            json::parse(R"({"app":"shop","env":"staging","version":"v2","force":true,"reason":"hot fix"})"));
  EXPECT_TRUE(std::regex_search(run.output, std::regex(R"(\n7 +shop +staging +v1 +v2 +canary +progressing +0 +5%)")))
      << run.output;
}

TEST(CliEndToEnd, PromoteFindsTheActiveRolloutThenPosts) {
  FakeController controller([](const RecordedRequest& r) { return rollout_api(r, true); });
  const CliRun run = run_cli({"rollout", "promote", "shop", "--env", "staging", "--controller",
                           controller.url()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const auto requests = controller.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/v1/rollouts?app=shop&env=staging&active=1");
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].target, "/v1/rollouts/7/promote");
}

TEST(CliEndToEnd, AbortWithoutAnActiveRolloutExits1) {
  FakeController controller([](const RecordedRequest& r) { return rollout_api(r, false); });
  const CliRun run =
      run_cli({"--controller", controller.url(), "rollout", "abort", "shop", "--env", "staging"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output, "switchyard: no active rollout of shop in staging\n");
  EXPECT_EQ(controller.requests().size(), 1u);  // nothing was posted
}

TEST(CliEndToEnd, ServerErrorMessageIsPrintedWithExit1) {
  FakeController controller([](const RecordedRequest&) {
    return FakeReply{409, R"({"error":"production requires v2 to have succeeded in staging"})"};
  });
  const CliRun run = run_cli({"--controller", controller.url(), "rollout", "start", "shop", "--env",
                           "production", "--version", "v2"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output, "switchyard: production requires v2 to have succeeded in staging\n");
}

TEST(CliEndToEnd, BadCommandLineExits2WithoutCallingTheController) {
  FakeController controller([](const RecordedRequest&) { return FakeReply{}; });
  const CliRun run = run_cli({"--controller", controller.url(), "rollout", "promote", "shop"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output, "switchyard: rollout promote: missing --env ENV\n");
  EXPECT_TRUE(controller.requests().empty());
}

TEST(CliEndToEnd, UnreachableControllerExits1) {
  // A port that was just free: nothing listens there.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ::close(fd);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  const CliRun run = run_cli({"--controller", url, "env", "list"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output, "switchyard: cannot reach the controller at " + url + ": Connection refused\n");
}

TEST(CliEndToEnd, JsonOutputPassesTheControllersJsonThrough) {
  const std::string body = R"({"rollouts":[)" + kRollout + R"(],"extra":{"ratio":0.0025}})";
  FakeController controller([&](const RecordedRequest&) { return FakeReply{200, body}; });
  const CliRun run = run_cli({"--controller", controller.url(), "--output", "json", "rollout",
                           "history", "shop", "--limit", "3"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(json::parse(run.output), json::parse(body));
  EXPECT_NE(run.output.find("\"ratio\": 0.0025"), std::string::npos) << run.output;
  ASSERT_EQ(controller.requests().size(), 1u);
  EXPECT_EQ(controller.requests()[0].target, "/v1/rollouts?app=shop&limit=3");
}

TEST(CliEndToEnd, TokenIsSentFromTheFileOrTheEnvironment) {
  FakeController controller([](const RecordedRequest&) {
    return FakeReply{200, R"({"environments":[]})"};
  });
  TempDir dir;
  const std::string file = dir.write_file("token", "file-secret\n");
  CliRun run = run_cli({"--controller", controller.url(), "--token-file", file, "env", "list"},
                    {"SWITCHYARD_TOKEN=env-secret"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  run = run_cli({"--controller", controller.url(), "env", "list"}, {"SWITCHYARD_TOKEN=env-secret"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "no environments\n");
  const auto requests = controller.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/v1/envs");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer file-secret");
  EXPECT_EQ(requests[1].headers.at("authorization"), "Bearer env-secret");

  run = run_cli({"--controller", controller.url(), "--token-file", dir.path() + "/missing", "env",
                 "list"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output, "switchyard: --token-file " + dir.path() +
                            "/missing: cannot read: No such file or directory\n");
}

TEST(CliEndToEnd, WeightsSetPutsTheWeightsAndReportsEachProxy) {
  FakeController controller([](const RecordedRequest&) {
    return FakeReply{200, R"({"proxies":[{"admin":"127.0.0.1:9901","ok":true,"error":""},
                                         {"admin":"127.0.0.1:9902","ok":false,"error":"timed out"}]})"};
  });
  const CliRun run = run_cli({"--controller", controller.url(), "weights", "set", "shop", "stable=90",
                           "canary=10", "--env", "staging"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output,
            "PROXY           RESULT  ERROR\n"
            "127.0.0.1:9901  ok      -\n"
            "127.0.0.1:9902  failed  timed out\n"
            "switchyard: the weights were not applied on 1 of 2 proxies\n");
  const auto requests = controller.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/v1/envs/staging/routes/shop/weights");
  EXPECT_EQ(requests[0].body, R"({"stable":90,"canary":10})");
}

// The live view of a rollout that finishes on the third poll.
FakeReply live_api(const RecordedRequest& request, std::atomic<int>& polls, int finish_after) {
  if (request.target.rfind("/v1/rollouts?", 0) == 0) return {200, R"({"rollouts":[)" + kRollout + "]}"};
  if (request.target != "/v1/rollouts/7/live") return {404, R"({"error":"no such call"})"};
  const bool done = ++polls >= finish_after;
  const std::string rollout =
      done ? with(with(with(kRollout, "result", R"("succeeded")"), "finished_ms", "1714564900000"),
                  "weight", "100")
           : kRollout;
  return {200, R"({"rollout":)" + rollout +
                   R"(,"weights":{"v1":95,"v2":5},"versions":{"v1":{"requests":100,"errors":1,"error_rate":0.01,"p99_ms":40}}})"};
}

TEST(CliEndToEnd, WatchRedrawsUntilTheRolloutFinishes) {
  std::atomic<int> polls{0};
  FakeController controller([&](const RecordedRequest& r) { return live_api(r, polls, 3); });
  const CliRun run = run_cli({"--controller", controller.url(), "rollout", "status", "shop", "--env",
                           "staging", "--watch", "--interval-ms", "100", "--max-seconds", "15"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(polls.load(), 3);
  EXPECT_EQ(run.output.find("\x1b["), std::string::npos);  // not a terminal: no redraw codes
  std::size_t frames = 0;
  for (auto at = run.output.find("rollout 7  shop in staging"); at != std::string::npos;
       at = run.output.find("rollout 7  shop in staging", at + 1))
    ++frames;
  EXPECT_EQ(frames, 3u) << run.output;
  EXPECT_NE(run.output.find("weights   v1  [######################################..]  95"),
            std::string::npos) << run.output;
  EXPECT_NE(run.output.find("v1       100       1       1.00%       40 ms"), std::string::npos)
      << run.output;
  EXPECT_TRUE(run.output.ends_with("rollout 7 succeeded\n")) << run.output;
}

TEST(CliEndToEnd, WatchGivesUpAfterMaxSeconds) {
  std::atomic<int> polls{0};
  FakeController controller([&](const RecordedRequest& r) { return live_api(r, polls, 1000000); });
  const CliRun run = run_cli({"--controller", controller.url(), "rollout", "status", "shop", "--watch",
                           "--interval-ms", "200", "--max-seconds", "1"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(run.output.ends_with("switchyard: rollout 7 still running after 1 s\n")) << run.output;
  EXPECT_GE(polls.load(), 3);
}

TEST(CliEndToEnd, WatchExits0OnCtrlC) {
  std::atomic<int> polls{0};
  FakeController controller([&](const RecordedRequest& r) { return live_api(r, polls, 1000000); });
  ChildProcess child(bin_path("switchyard"), {"--controller", controller.url(), "rollout", "status",
                                              "shop", "--watch", "--interval-ms", "100"});
  ASSERT_TRUE(child.wait_for_line(std::regex("^VERSION +REQUESTS")).has_value());
  child.signal(SIGINT);
  EXPECT_EQ(child.wait_exit(std::chrono::seconds(10)), 0) << child.output();
}

}  // namespace
}  // namespace switchyard::test
