// ConfigOverlays: precedence of the layers, a hash that depends on content only (not on the
// order of the YAML) and on secret versions, replacement on reload, and config-only labels.
#include <gtest/gtest.h>

#include "controller/engine/config_overlays.hpp"

namespace switchyard::controller::engine {
namespace {

config::ControllerConfig two_envs(const std::string& staging_value) {
  config::ControllerConfig config;
  config.environments.resize(2);
  config.environments[0].name = "staging";
  config.environments[0].config = {{"REGION", "eu"}, {"SHARED", "env"}};
  config.environments[1].name = "production";
  config::AppConfig app;
  app.name = "shop";
  app.config = {{"base", {{"SHARED", "base"}, {"LOG", "info"}}}, {"staging", {{"SHARED", staging_value}}}};
  config.apps = {app};
  return config;
}

TEST(ConfigOverlays, LaterLayersWinAndSourcesAreNamed) {
  ConfigOverlays overlays(two_envs("app-env"));
  const auto staging = overlays.render("shop", "staging", {});
  EXPECT_EQ(staging.vars, (Variables{{"LOG", "info"}, {"REGION", "eu"}, {"SHARED", "app-env"}}));
  EXPECT_EQ(staging.sources.at("SHARED"), "apps.shop.config.staging");
  EXPECT_EQ(staging.sources.at("REGION"), "environments.staging.config");
  EXPECT_EQ(staging.sources.at("LOG"), "apps.shop.config.base");
  const auto production = overlays.render("shop", "production", {});
  EXPECT_EQ(production.vars, (Variables{{"LOG", "info"}, {"SHARED", "base"}}));
  EXPECT_EQ(production.canonical_json, R"({"config":{"LOG":"info","SHARED":"base"},"secrets":{}})");
}

TEST(ConfigOverlays, HashIsStableAndCoversSecretVersions) {
  ConfigOverlays one(two_envs("x"));
  ConfigOverlays two(two_envs("x"));
  const auto a = one.render("shop", "staging", {});
  EXPECT_EQ(a.hash.size(), 64u);
  EXPECT_EQ(a.hash, two.render("shop", "staging", {}).hash);
  EXPECT_NE(a.hash, one.render("shop", "production", {}).hash);
  const auto with_secret = one.render("shop", "staging", {{"DB_PASSWORD", "3"}});
  EXPECT_NE(with_secret.hash, a.hash);
  EXPECT_NE(with_secret.hash, one.render("shop", "staging", {{"DB_PASSWORD", "4"}}).hash);
  EXPECT_EQ(with_secret.vars.count("DB_PASSWORD"), 0u);  // names and versions only, never values
  // SHA-256 of the canonical text, computed independently: `printf %s TEXT | sha256sum`.
  EXPECT_EQ(render_variables({}, {}).hash, "a229b8522004e9a94f2e52613751a76ac5391face994913f0d8b7588a7e07296");
}

TEST(ConfigOverlays, ReplaceReportsChangedOverlays) {
  ConfigOverlays overlays(two_envs("x"));
  const auto before = overlays.render("shop", "staging", {}).hash;
  EXPECT_TRUE(overlays.replace(two_envs("x")).empty());
  EXPECT_EQ(overlays.replace(two_envs("y")), (std::vector<std::string>{"apps.shop.config"}));
  EXPECT_NE(overlays.render("shop", "staging", {}).hash, before);
  EXPECT_EQ(overlays.render("shop", "staging", {}).vars.at("SHARED"), "y");
}

TEST(ConfigOverlays, ConfigOnlyLabels) {
  const std::string hash = "3f1c9a0b77aa";
  EXPECT_EQ(config_label("v2", hash), "v2+cfg.3f1c9a0b");
  EXPECT_EQ(config_label("v2+cfg.00000000", hash), "v2+cfg.3f1c9a0b");
  EXPECT_EQ(code_version("v2+cfg.3f1c9a0b"), "v2");
  EXPECT_EQ(code_version("v2"), "v2");
}

}  // namespace
}  // namespace switchyard::controller::engine
