// The dashboard end to end: a real proxy, demo backends and controller (the engine tests'
// fixture), then dashboard.test.mjs drives the page in headless Chromium (playwright-core,
// installed into the build tree by tests/dashboard/node_setup.cmake) and this test asserts that
// it passed. The screenshot lands in the build tree: build/dashboard-node/dashboard.png.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <gtest/gtest.h>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

constexpr const char* kNodeDir = SWITCHYARD_DASHBOARD_NODE_DIR;
constexpr const char* kNode = SWITCHYARD_NODE;  // "SY_NODE-NOTFOUND" without Node.js

class DashboardTest : public CustomControllerFixture {};

TEST_F(DashboardTest, SplitFollowsWeightsAndAbortRollsBackInChromium) {
  const std::string chromium = std::getenv("SWITCHYARD_CHROMIUM") ? std::getenv("SWITCHYARD_CHROMIUM") : "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) GTEST_SKIP() << "no Chromium at " << chromium << " (scripts/setup.sh installs it)";
  if (!std::filesystem::exists(kNode)) GTEST_SKIP() << "no Node.js found at configure time";
  if (!std::filesystem::exists(std::string(kNodeDir) + "/node_modules/playwright-core/package.json")) {
    GTEST_SKIP() << "playwright-core is not installed in " << kNodeDir << " (npm ci failed at build time?)";
  }
  start_proxy(false);
  // A long pause: the rollout stays at its first step while the page is driven.
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 24100, 30, ""});
  start_traffic();
  const auto screenshot = std::string(kNodeDir) + "/dashboard.png";
  std::filesystem::remove(screenshot);
  ChildProcess node(kNode,
                    {std::string(kNodeDir) + "/dashboard.test.mjs", "http://127.0.0.1:" + std::to_string(controller_port_),
                     "http://127.0.0.1:" + std::to_string(proxy_->admin_port()), screenshot},
                    {"SWITCHYARD_CHROMIUM=" + chromium});
  const auto code = node.wait_exit(std::chrono::seconds(90));
  std::cout << node.output();
  ASSERT_TRUE(code) << "the browser test did not finish within 90 s";
  EXPECT_EQ(*code, 0) << node.output();
  EXPECT_TRUE(std::filesystem::exists(screenshot)) << screenshot;
  // The page's abort really rolled back: the proxy holds v1 alone.
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v1", 100}}));
}

TEST_F(DashboardTest, AsksForTheTokenAndKeepsItForTheTab) {
  const std::string chromium = std::getenv("SWITCHYARD_CHROMIUM") ? std::getenv("SWITCHYARD_CHROMIUM") : "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium) || !std::filesystem::exists(kNode) ||
      !std::filesystem::exists(std::string(kNodeDir) + "/node_modules/playwright-core/package.json")) {
    GTEST_SKIP() << "needs Chromium, Node.js and playwright-core (see the test above)";
  }
  start_proxy(false);
  const auto token_file = dir_.write_file("controller.token", "page-token\n");
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 24150, 30, token_file});
  const auto screenshot = std::string(kNodeDir) + "/dashboard-token.png";
  ChildProcess node(kNode,
                    {std::string(kNodeDir) + "/dashboard.test.mjs", "http://127.0.0.1:" + std::to_string(controller_port_),
                     "http://127.0.0.1:" + std::to_string(proxy_->admin_port()), screenshot},
                    {"SWITCHYARD_CHROMIUM=" + chromium, "DASHBOARD_TOKEN=page-token"});
  const auto code = node.wait_exit(std::chrono::seconds(60));
  std::cout << node.output();
  ASSERT_TRUE(code) << "the browser test did not finish within 60 s";
  EXPECT_EQ(*code, 0) << node.output();
}

}  // namespace
}  // namespace switchyard::test
