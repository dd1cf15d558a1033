// A proxy of the environment that never answers: the rollout waits and retries it (never skips
// it), then fails and rolls back on the proxy that does answer, naming the silent one.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/controller/engine/controller_strategy_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

// Sets an environment variable for the controllers started in one test.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  const char* name_;
};

class ControllerProxyRetryTest : public StrategyFixture {};

TEST_F(ControllerProxyRetryTest, SilentProxyIsRetriedThenRolloutRollsBackOnTheAnsweringOne) {
  ScopedEnv retry("SWITCHYARD_PROXY_RETRY_MS", "1500");
  // 127.0.0.1:1 refuses every connection: a proxy that does not answer.
  start_strategy(29900, "      kind: canary\n      steps: [50, 100]\n      pause_s: 1\n", true,
                 "      - { admin: 127.0.0.1:1 }\n");
  const auto started = wall_ms();
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  ASSERT_EQ(wait_finished(id, 40s), "failed") << controller_->output();
  const auto row = rollout(id);
  const auto reason = std::string(row.at("reason").as_string());
  EXPECT_NE(reason.find("register_upstream failed"), std::string::npos) << reason;
  EXPECT_NE(reason.find("127.0.0.1:1"), std::string::npos) << reason;
  // It waited for the silent proxy (the retry limit) before giving up on the forward step.
  EXPECT_GE(row.at("finished_ms").as_int64() - started, 1500) << reason;
  // The answering proxy is back on the baseline alone, without v2's upstream.
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));
  EXPECT_TRUE(upstream_endpoints("shop-v2").empty());
  EXPECT_EQ(failures_.load(), 0u);
}

}  // namespace
}  // namespace switchyard::test
