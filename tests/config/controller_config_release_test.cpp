// Release coordination and configuration overlays in the controller configuration:
// `depends_on` entries, `config:` keys and values, and the version order they rely on.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "config/load_controller_config.hpp"
#include "config/version_order.hpp"

namespace switchyard::config {
namespace {

const std::string kTwoApps =
    "environments:\n"
    "  - {name: staging, proxies: [{admin: 127.0.0.1:9901}], config: {REGION: eu}}\n"
    "  - {name: production, requires: [staging], proxies: [{admin: 127.0.0.1:9902}]}\n"
    "apps:\n"
    "  - {name: payments, route: payments, driver: {command: \"backend --port {port}\"}}\n"
    "  - name: shop\n"
    "    route: shop\n"
    "    driver: {command: \"backend --port {port}\"}\n";

std::string error_of(const std::string& yaml) {
  auto result = parse_controller_config(yaml, "controller.yaml");
  if (auto* error = std::get_if<ConfigError>(&result)) return error->message;
  return "<valid>";
}

TEST(ControllerConfigRelease, DependsOnIsParsed) {
  auto result = parse_controller_config(kTwoApps + "    depends_on: [\"payments >= 2.1\", \"payments==v3\"]\n",
                                        "controller.yaml");
  ASSERT_TRUE(std::holds_alternative<ControllerConfig>(result)) << std::get<ConfigError>(result).message;
  const auto& shop = std::get<ControllerConfig>(result).apps[1];
  ASSERT_EQ(shop.depends_on.size(), 2u);
  EXPECT_EQ(shop.depends_on[0], (AppDependency{"payments", ">=", "2.1"}));
  EXPECT_EQ(shop.depends_on[1], (AppDependency{"payments", "==", "v3"}));
}

TEST(ControllerConfigRelease, BadDependenciesAreRefusedWithTheirPath) {
  EXPECT_EQ(error_of(kTwoApps + "    depends_on: [\"billing >= 1\"]\n"),
            "controller.yaml: apps[1].depends_on[0]: unknown app 'billing'");
  EXPECT_EQ(error_of(kTwoApps + "    depends_on: [\"payments > 1\"]\n"),
            "controller.yaml: apps[1].depends_on[0]: must read 'APP >= VERSION' or 'APP == VERSION', got "
            "'payments > 1'");
  EXPECT_EQ(error_of(kTwoApps + "    depends_on: [\"payments >= \"]\n"),
            "controller.yaml: apps[1].depends_on[0]: must read 'APP >= VERSION' or 'APP == VERSION', got "
            "'payments >= '");
  EXPECT_EQ(error_of(kTwoApps + "    depends_on: [\"shop >= 1\"]\n"),
            "controller.yaml: apps[1].depends_on[0]: an app cannot depend on itself");
  EXPECT_EQ(error_of(kTwoApps + "    depends_on: [\"payments >= 1/2\"]\n"),
            "controller.yaml: apps[1].depends_on[0]: must contain only letters, digits, '.', '_', '-' and '+', "
            "got '1/2'");
}

TEST(ControllerConfigRelease, ConfigOverlaysAreValidated) {
  EXPECT_EQ(error_of(kTwoApps + "    config: {base: {A: 1, B: true, C: x}, production: {D: \"2\"}}\n"), "<valid>");
  EXPECT_EQ(error_of(kTwoApps + "    config: {qa: {A: 1}}\n"),
            "controller.yaml: apps[1].config.qa: unknown environment 'qa' (expected base or a declared environment)");
  EXPECT_EQ(error_of(kTwoApps + "    config: {base: {A-B: 1}}\n"),
            "controller.yaml: apps[1].config.base.A-B: must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), "
            "got 'A-B'");
  EXPECT_EQ(error_of(kTwoApps + "    config: {staging: {A: [1, 2]}}\n"),
            "controller.yaml: apps[1].config.staging.A: must be a scalar (string, number or boolean)");
  EXPECT_EQ(error_of(kTwoApps + "    config: {staging: {A: }}\n"),
            "controller.yaml: apps[1].config.staging.A: must be a scalar (string, number or boolean)");
  const std::string bad_env =
      "environments:\n  - {name: staging, proxies: [{admin: 127.0.0.1:9901}], config: {1X: a}}\napps: []\n";
  EXPECT_EQ(error_of(bad_env), "controller.yaml: environments[0].config.1X: must be an environment variable name "
                               "([A-Za-z_][A-Za-z0-9_]*), got '1X'");
}

TEST(VersionOrder, ComparesNumericPartsNumericallyAndOthersLexically) {
  EXPECT_LT(compare_versions("2.9", "2.10"), 0);
  EXPECT_EQ(compare_versions("v2.1", "2.1"), 0);
  EXPECT_EQ(compare_versions("2.01", "2.1"), 0);
  EXPECT_LT(compare_versions("2.1", "2.1.0"), 0);
  EXPECT_GT(compare_versions("2.1-rc2", "2.1-rc10"), 0);  // "rc2" vs "rc10": text, lexical
  EXPECT_LT(compare_versions("2.1-1", "2.1-beta"), 0);    // a number sorts before text
  EXPECT_EQ(compare_versions("2.1.0+cfg.1a2b3c4d", "2.1.0"), 0);
  EXPECT_GT(compare_versions("10.0", "9.99"), 0);
  EXPECT_GT(compare_versions("123456789012345678901234567890", "99"), 0);  // no overflow
}

TEST(VersionOrder, DependencySatisfaction) {
  const AppDependency at_least{"payments", ">=", "2.1"};
  EXPECT_TRUE(at_least.satisfied_by("2.1"));
  EXPECT_TRUE(at_least.satisfied_by("v2.10"));
  EXPECT_FALSE(at_least.satisfied_by("2.0.9"));
  const AppDependency exactly{"payments", "==", "2.1"};
  EXPECT_TRUE(exactly.satisfied_by("v2.1+cfg.00000000"));
  EXPECT_FALSE(exactly.satisfied_by("2.1.1"));
}

}  // namespace
}  // namespace switchyard::config
