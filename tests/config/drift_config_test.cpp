// environments[].remediate and environments[].drift (docs/drift.md).
#include <gtest/gtest.h>

#include "config/load_controller_config.hpp"

namespace switchyard::config {
namespace {

ControllerConfigResult parse_env(const std::string& env_keys) {
  return parse_controller_config("environments:\n  - {name: staging, proxies: [{admin: 127.0.0.1:9901}]" + env_keys + "}\n",
                                 "controller.yaml");
}

std::string error_of(const std::string& env_keys) {
  auto result = parse_env(env_keys);
  if (auto* error = std::get_if<ConfigError>(&result)) return error->message;
  return "<valid>";
}

TEST(DriftConfig, DefaultsAreReportEvery200Ms) {
  auto result = parse_env("");
  ASSERT_TRUE(std::holds_alternative<ControllerConfig>(result));
  const auto& env = std::get<ControllerConfig>(result).environments.front();
  EXPECT_EQ(env.remediate, "report");
  EXPECT_EQ(env.drift_interval_ms, 200u);
}

TEST(DriftConfig, AutoAndIntervalAreRead) {
  auto result = parse_env(", remediate: auto, drift: {interval_ms: 50}");
  ASSERT_TRUE(std::holds_alternative<ControllerConfig>(result)) << error_of(", remediate: auto, drift: {interval_ms: 50}");
  const auto& env = std::get<ControllerConfig>(result).environments.front();
  EXPECT_EQ(env.remediate, "auto");
  EXPECT_EQ(env.drift_interval_ms, 50u);
}

TEST(DriftConfig, BadValuesNameTheKey) {
  EXPECT_EQ(error_of(", remediate: fix"), "controller.yaml: environments[0].remediate: must be report or auto");
  EXPECT_EQ(error_of(", drift: {interval: 5}"), "controller.yaml: environments[0].drift.interval: unknown key");
  EXPECT_NE(error_of(", drift: {interval_ms: 5}").find("environments[0].drift.interval_ms:"), std::string::npos)
      << error_of(", drift: {interval_ms: 5}");
}

}  // namespace
}  // namespace switchyard::config
