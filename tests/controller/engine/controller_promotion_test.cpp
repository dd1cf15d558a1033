// Promotion between environments (`rollout promote-env`) and release coordination
// (`depends_on:`): production takes what last succeeded in staging; shop needs payments >= 2 live
// in the same environment, unless forced (recorded). Two environments, each with its own proxy
// carrying the routes of both apps; `recreate` keeps each rollout short.
#include <gtest/gtest.h>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<ProxyProcess> two_route_proxy(const DemoBackend& backend) {
  return std::make_unique<ProxyProcess>(
      "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n"
      "upstreams:\n  - name: shop-v1\n    endpoints: [" + backend.address() + "]\n"
      "  - name: payments-1\n    endpoints: [" + backend.address() + "]\n"
      "routes:\n  - name: payments\n    match: { path_prefix: /pay }\n"
      "    split:\n      - { version: \"1\", upstream: payments-1, weight: 100 }\n"
      "  - name: shop\n    match: { path_prefix: / }\n"
      "    split:\n      - { version: v1, upstream: shop-v1, weight: 100 }\n");
}

class ControllerPromotionTest : public CustomControllerFixture {
 protected:
  std::string app_yaml(const std::string& name, int port_base, const std::string& extra) {
    return "  - name: " + name + "\n    route: " + name + "\n    driver:\n      kind: process\n"
           "      command: \"" + bin_path("switchyard-demo-backend") + " --port {port} --name {version}\"\n"
           "      instances: 1\n      ports: " + std::to_string(port_base) + "-" + std::to_string(port_base + 19) +
           "\n      health_path: /healthz\n      stop_grace_ms: 1000\n    strategy: { kind: recreate }\n" + extra;
  }

  void start_everything() {
    for (auto* backend : {&staging_backend_, &production_backend_}) {
      *backend = std::make_unique<DemoBackend>("v1");
      ASSERT_TRUE((*backend)->ok());
    }
    staging_proxy_ = two_route_proxy(*staging_backend_);
    production_proxy_ = two_route_proxy(*production_backend_);
    ASSERT_TRUE(staging_proxy_->ok() && production_proxy_->ok());
    config_path_ = dir_.write_file(
        "controller.yaml",
        "controller:\n  listen: 127.0.0.1:0\n  state: " + dir_.path() + "/state.db\n"
        "environments:\n  - name: staging\n    proxies: [{ admin: 127.0.0.1:" +
            std::to_string(staging_proxy_->admin_port()) + " }]\n"
        "  - name: production\n    requires: [staging]\n    proxies: [{ admin: 127.0.0.1:" +
            std::to_string(production_proxy_->admin_port()) + " }]\n"
        "apps:\n" + app_yaml("payments", 31500, "") +
            app_yaml("shop", 31520, "    depends_on: [\"payments >= 2\"]\n"));
    start_controller();
  }

  // POST `target` with `body`; the answer, and the rollout id when one started.
  std::int64_t post(const std::string& target, const std::string& body, int expected) {
    int status = 0;
    last_ = api("POST", target, body, &status);
    EXPECT_EQ(status, expected) << target << " " << body << " -> " << boost::json::serialize(last_);
    return status == 201 ? last_.at("id").as_int64() : 0;
  }

  std::string error_text() const {
    return last_.is_object() && last_.get_object().contains("error") ? std::string(last_.at("error").as_string()) : "";
  }

  std::unique_ptr<DemoBackend> staging_backend_;
  std::unique_ptr<DemoBackend> production_backend_;
  std::unique_ptr<ProxyProcess> staging_proxy_;
  std::unique_ptr<ProxyProcess> production_proxy_;
  boost::json::value last_;
};

TEST_F(ControllerPromotionTest, PromoteEnvAndDependsOn) {
  start_everything();
  const std::string promote_shop = "/v1/apps/shop/promote";

  // Nothing succeeded in staging yet: nothing to promote.
  post(promote_shop, R"({"from":"staging","to":"production"})", 409);
  EXPECT_NE(error_text().find("no rollout of shop has succeeded in 'staging'"), std::string::npos) << error_text();

  // shop v2 needs payments >= 2, and staging runs payments 1.
  post("/v1/rollouts", R"({"app":"shop","env":"staging","version":"v2"})", 409);
  EXPECT_NE(error_text().find("payments >= 2"), std::string::npos) << error_text();
  EXPECT_NE(error_text().find("live version is 1"), std::string::npos) << error_text();
  auto run = cli({"rollout", "start", "shop", "--env", "staging", "--version", "v2"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("payments"), std::string::npos) << run.output;

  const auto payments = post("/v1/rollouts", R"({"app":"payments","env":"staging","version":"2.0"})", 201);
  ASSERT_EQ(wait_finished(payments, 20s), "succeeded") << controller_->output();
  const auto shop = post("/v1/rollouts", R"({"app":"shop","env":"staging","version":"v2"})", 201);
  ASSERT_EQ(wait_finished(shop, 20s), "succeeded") << controller_->output();

  // Promotion to production: payments there is still 1, so shop is refused, unless forced.
  post(promote_shop, R"({"from":"staging","to":"production"})", 409);
  EXPECT_NE(error_text().find("in production: required >= 2, live version is 1"), std::string::npos) << error_text();
  run = cli({"--output", "json", "rollout", "promote-env", "shop", "--from", "staging", "--to", "production",
             "--force", "--reason", "payments follows"});
  ASSERT_EQ(run.code, 0) << run.output;
  auto forced = boost::json::parse(run.output);
  EXPECT_EQ(forced.at("version"), "v2");
  EXPECT_EQ(forced.at("promoted_from"), "staging");
  EXPECT_TRUE(forced.at("forced_by").is_string()) << run.output;
  EXPECT_EQ(forced.at("forced_reason"), "payments follows");
  ASSERT_EQ(wait_finished(forced.at("id").as_int64(), 20s), "succeeded") << controller_->output();

  // A version that never succeeded in staging cannot be promoted without --force.
  post(promote_shop, R"({"from":"staging","to":"production","version":"v9"})", 409);
  EXPECT_NE(error_text().find("v9 of shop has not succeeded in 'staging'"), std::string::npos) << error_text();

  // payments 2.0 promoted (the version that last succeeded in staging), then shop v3 flows
  // staging -> production with its dependency met and nothing forced.
  const auto promoted = post("/v1/apps/payments/promote", R"({"from":"staging","to":"production"})", 201);
  EXPECT_EQ(last_.at("version"), "2.0");
  ASSERT_EQ(wait_finished(promoted, 20s), "succeeded") << controller_->output();
  const auto shop3 = post("/v1/rollouts", R"({"app":"shop","env":"staging","version":"v3"})", 201);
  ASSERT_EQ(wait_finished(shop3, 20s), "succeeded") << controller_->output();
  const auto shop3_prod = post(promote_shop, R"({"from":"staging","to":"production"})", 201);
  EXPECT_EQ(last_.at("version"), "v3");
  EXPECT_TRUE(last_.at("forced_by").is_null()) << boost::json::serialize(last_);
  ASSERT_EQ(wait_finished(shop3_prod, 20s), "succeeded") << controller_->output();
  EXPECT_EQ(rollout(shop3_prod).at("promoted_from"), "staging");
  auto production_route = http_request("127.0.0.1", production_proxy_->admin_port(), "GET", "/v1/routes/shop");
  EXPECT_NE(production_route.body.find("\"v3\""), std::string::npos) << production_route.body;
}

}  // namespace
}  // namespace switchyard::test
