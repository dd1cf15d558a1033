#include "controller/engine/hook_runner.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>

#include <boost/json/parse.hpp>

#include "controller/engine/route_split.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::engine {
namespace {

config::HookConfig run(std::string command, std::uint32_t timeout_s = 5) {
  config::HookConfig hook;
  hook.run = std::move(command);
  hook.timeout_s = timeout_s;
  return hook;
}

TEST(HookRunnerTest, SubstitutesVersionAndEnvAndRunsInOrder) {
  test::TempDir dir;
  const auto out = dir.path() + "/out";
  EXPECT_EQ(run_hooks({run("echo {version}-{env} > " + out), run("grep -q v2-staging " + out)}, "v2", "staging"), "");
}

TEST(HookRunnerTest, FirstFailureStopsAndIsNamed) {
  test::TempDir dir;
  const auto marker = dir.path() + "/ran";
  const auto error = run_hooks({run("exit 3"), run("touch " + marker)}, "v2", "e");
  EXPECT_EQ(error, "'exit 3' exited with code 3");
  EXPECT_NE(::access(marker.c_str(), F_OK), 0);
}

TEST(HookRunnerTest, TimeoutKillsTheCommand) {
  const auto start = std::chrono::steady_clock::now();
  const auto error = run_hooks({run("sleep 30", 1)}, "v2", "e");
  EXPECT_NE(error.find("timed out after 1 s"), std::string::npos) << error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HookRunnerTest, HttpHookNeedsAnAnswer) {
  config::HookConfig hook;
  hook.http = "http://127.0.0.1:1/smoke";
  hook.timeout_s = 1;
  EXPECT_NE(run_hooks({hook}, "v2", "e"), "");
  hook.http = "ftp://x/";
  EXPECT_NE(run_hooks({hook}, "v2", "e").find("must start with http://"), std::string::npos);
}

TEST(RouteSplitTest, BaselineIsTheHeaviestOtherVersion) {
  auto route = boost::json::parse(
      R"({"name":"shop","split":[{"version":"blue","upstream":"a","weight":10},{"version":"green","upstream":"b","weight":90},{"version":"v3","upstream":"c","weight":95}]})");
  const auto split = split_of(route);
  ASSERT_EQ(split.size(), 3u);
  EXPECT_EQ(split[1].upstream, "b");
  EXPECT_EQ(heaviest_version(split, "v3"), "green");
  EXPECT_EQ(heaviest_version({}, "v3"), "");
  EXPECT_TRUE(split_has(split, "blue"));
  EXPECT_FALSE(split_has(split, "v9"));
}

}  // namespace
}  // namespace switchyard::controller::engine
