// Environment-specific configuration (SPEC §6 `config:`): the merged overlays reach each
// instance as environment variables and as its {config_file}; instances record the hash of what
// they got; after SIGHUP with a changed overlay, a config-only rollout runs as a canary of
// "<version>+cfg.<hash8>" and its instances see the new value.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

class ControllerConfigOverlaysTest : public CustomControllerFixture {
 protected:
  // `grace`: a key outside `config:` that a reload only reports (needs a restart).
  std::string yaml(const std::string& staging_greeting, int grace = 1000) {
    const std::string command = bin_path("switchyard-demo-backend") +
                                " --port {port} --name {version} --config-file {config_file}";
    return "controller:\n  listen: 127.0.0.1:0\n  state: " + dir_.path() + "/state.db\n"
           "environments:\n"
           "  - name: staging\n    config: { REGION: eu }\n    proxies:\n      - { admin: 127.0.0.1:" +
           std::to_string(proxy_->admin_port()) + " }\n"
           "  - name: production\n    config: { REGION: us, GREETING: from-env }\n    proxies:\n"
           "      - { admin: 127.0.0.1:" + std::to_string(production_proxy_->admin_port()) + " }\n"
           "apps:\n  - name: shop\n    route: shop\n    driver:\n      kind: process\n"
           "      command: \"" + command + "\"\n      instances: 1\n      ports: 31400-31449\n"
           "      health_path: /healthz\n      stop_grace_ms: " + std::to_string(grace) + "\n"
           "    strategy:\n      kind: canary\n      steps: [50, 100]\n      pause_s: 1\n"
           "      analysis: { max_error_rate: 0.05, min_requests: 5 }\n"
           "    config:\n      base: { GREETING: hello, LOG_LEVEL: info }\n"
           "      staging: { GREETING: " + staging_greeting + " }\n";
  }

  // Traffic through the production proxy too (the fixture's thread covers staging).
  void production_traffic() {
    HttpClient client("127.0.0.1", production_proxy_->port(), std::chrono::seconds(2));
    while (!stop_) {
      client.request("GET", "/");
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  }

  void TearDown() override {
    stop_ = true;
    if (production_traffic_.joinable()) production_traffic_.join();
    CustomControllerFixture::TearDown();
  }

  // The live instances of shop in `env` (GET /v1/instances).
  boost::json::array instances(const std::string& env) {
    auto answer = api("GET", "/v1/instances?app=shop&env=" + env);
    return answer.is_object() ? answer.at("instances").as_array() : boost::json::array();
  }

  std::string env_var(std::int64_t port, const std::string& name) {
    auto response = http_request("127.0.0.1", static_cast<std::uint16_t>(port), "GET", "/admin/env?name=" + name);
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    if (ec || !value.is_object() || !value.at("value").is_string()) return "<unset>";
    return std::string(value.at("value").as_string());
  }

  boost::json::value config_file(std::int64_t port) {
    auto response = http_request("127.0.0.1", static_cast<std::uint16_t>(port), "GET", "/admin/config-file");
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    return ec ? boost::json::value() : value;
  }

  std::string desired_hash(const std::string& env) {
    auto answer = api("GET", "/v1/apps/shop/config?env=" + env);
    return answer.is_object() ? std::string(answer.at("hash").as_string()) : "";
  }

  std::int64_t start(const std::string& body, int expected) {
    int status = 0;
    auto created = api("POST", "/v1/rollouts", body, &status);
    EXPECT_EQ(status, expected) << boost::json::serialize(created);
    last_ = created;
    return created.is_object() && created.get_object().contains("id") ? created.at("id").as_int64() : 0;
  }

  std::unique_ptr<DemoBackend> production_backend_;
  std::unique_ptr<ProxyProcess> production_proxy_;
  std::thread production_traffic_;
  boost::json::value last_;
};

TEST_F(ControllerConfigOverlaysTest, OverlaysReachInstancesAndAConfigOnlyRolloutFollowsAReload) {
  start_proxy(/*guard=*/false);
  production_backend_ = std::make_unique<DemoBackend>("v1");
  ASSERT_TRUE(production_backend_->ok());
  production_proxy_ = make_shop_proxy(*production_backend_, false);
  ASSERT_TRUE(production_proxy_->ok());
  config_path_ = dir_.write_file("controller.yaml", yaml("hi-staging"));
  start_controller();
  start_traffic();
  production_traffic_ = std::thread([this] { production_traffic(); });

  const auto staged = start(R"({"app":"shop","env":"staging","version":"v2"})", 201);
  const auto produced = start(R"({"app":"shop","env":"production","version":"v2"})", 201);
  ASSERT_EQ(wait_finished(staged, 30s), "succeeded") << controller_->output();
  ASSERT_EQ(wait_finished(produced, 30s), "succeeded") << controller_->output();

  // Each environment's instance got its own merged configuration, recorded by hash.
  const auto staging = instances("staging");
  const auto production = instances("production");
  ASSERT_EQ(staging.size(), 1u) << boost::json::serialize(staging);
  ASSERT_EQ(production.size(), 1u) << boost::json::serialize(production);
  const auto staging_port = staging[0].at("port").as_int64();
  const auto production_port = production[0].at("port").as_int64();
  EXPECT_EQ(env_var(staging_port, "GREETING"), "hi-staging");
  EXPECT_EQ(env_var(staging_port, "REGION"), "eu");
  EXPECT_EQ(env_var(staging_port, "LOG_LEVEL"), "info");
  EXPECT_EQ(env_var(production_port, "GREETING"), "from-env");  // environment-wide beats app base
  EXPECT_EQ(env_var(production_port, "REGION"), "us");
  const auto staging_hash = std::string(staging[0].at("config_hash").as_string());
  EXPECT_EQ(staging_hash.size(), 64u);
  EXPECT_EQ(staging_hash, desired_hash("staging"));
  EXPECT_EQ(std::string(production[0].at("config_hash").as_string()), desired_hash("production"));
  EXPECT_NE(staging_hash, desired_hash("production"));
  EXPECT_EQ(staging[0].at("config").at("config").at("GREETING"), "hi-staging") << boost::json::serialize(staging);

  // The {config_file} the instance was started with: the merged keys, private to the controller's user.
  const auto file = config_file(staging_port);
  ASSERT_TRUE(file.is_object() && file.at("content").is_string()) << boost::json::serialize(file);
  const auto path = std::string(file.at("path").as_string());
  EXPECT_NE(path.find("/instance-config/shop-staging-" + staging_hash.substr(0, 12) + ".json"), std::string::npos)
      << path;
  EXPECT_EQ(boost::json::parse(file.at("content").as_string()),
            boost::json::parse(R"({"GREETING":"hi-staging","LOG_LEVEL":"info","REGION":"eu"})"));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  // The CLI shows both, with where each key came from.
  auto run = cli({"config", "show", "shop", "--env", "staging"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find(staging_hash), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("apps.shop.config.staging"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("environments.staging.config"), std::string::npos) << run.output;
  run = cli({"instances", "shop", "--env", "staging"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find(staging_hash.substr(0, 12)), std::string::npos) << run.output;

  // Unchanged configuration: nothing to roll out.
  start(R"({"app":"shop","env":"staging","config_only":true})", 409);
  EXPECT_NE(boost::json::serialize(last_).find("unchanged"), std::string::npos) << boost::json::serialize(last_);

  // A changed overlay, applied by SIGHUP without a restart, then rolled out as a canary.
  dir_.write_file("controller.yaml", yaml("hi-again", 1500));
  controller_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return desired_hash("staging") != staging_hash; }, 5s)) << controller_->output();
  EXPECT_TRUE(eventually([&] { return controller_->output().find("reload: apps.shop changed: needs a restart") !=
                                      std::string::npos; }, 5s)) << controller_->output();
  const auto new_hash = desired_hash("staging");
  EXPECT_EQ(desired_hash("production"), std::string(production[0].at("config_hash").as_string()));
  run = cli({"--output", "json", "rollout", "start", "shop", "--env", "staging", "--config-only"});
  ASSERT_EQ(run.code, 0) << run.output;
  auto created = boost::json::parse(run.output);
  const std::string label = "v2+cfg." + new_hash.substr(0, 8);
  EXPECT_EQ(created.at("version"), boost::json::value(label)) << run.output;
  EXPECT_EQ(created.at("baseline_version"), "v2");
  const auto id = created.at("id").as_int64();
  EXPECT_TRUE(eventually([&] { return split() == std::map<std::string, std::int64_t>{{"v2", 50}, {label, 50}}; }, 15s))
      << controller_->output();
  ASSERT_EQ(wait_finished(id, 30s), "succeeded") << controller_->output();
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{label, 100}}));
  const auto fresh = instances("staging");
  ASSERT_EQ(fresh.size(), 1u) << boost::json::serialize(fresh);
  EXPECT_EQ(fresh[0].at("version"), boost::json::value(label));
  EXPECT_EQ(fresh[0].at("config_hash"), boost::json::value(new_hash));
  EXPECT_EQ(env_var(fresh[0].at("port").as_int64(), "GREETING"), "hi-again");
  EXPECT_EQ(failures_.load(), 0u);
}

}  // namespace
}  // namespace switchyard::test
