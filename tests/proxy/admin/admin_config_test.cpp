// GET /v1/config and POST /v1/config/reload through the real admin server, with a real file.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "admin_server_harness.hpp"
#include "proxy/admin/config_json.hpp"
#include "test_http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace json = boost::json;

namespace switchyard::proxy::admin {
namespace {

using test_support::HttpAnswer;
using test_support::TestHttpClient;

// The YAML twin of test_support::make_test_config(), with the canary's weight, the workers and
// anything extra at the end of the file variable.
std::string test_yaml(int canary = 5, int workers = 0, const std::string& extra_upstream = "") {
  return "listeners: [{address: 127.0.0.1:0}]\n"
         "admin: {address: 127.0.0.1:0}\n"
         "workers: " + std::to_string(workers) + "\n"
         "upstreams:\n"
         "  - {name: shop-blue, endpoints: [127.0.0.1:18081]}\n"
         "  - {name: shop-green, endpoints: [127.0.0.1:18082], health_check: {}}\n"
         "  - {name: spare, endpoints: [127.0.0.1:18090]}\n" + extra_upstream +
         "routes:\n"
         "  - name: shop\n"
         "    match: {host: shop.example.com}\n"
         "    split:\n"
         "      - {version: stable, upstream: shop-blue, weight: 95}\n"
         "      - {version: canary, upstream: shop-green, weight: " + std::to_string(canary) + "}\n"
         "    sticky: {cookie: sy_cohort}\n"
         "    override_header: x-switchyard-version\n"
         "    guard: {revert_to: stable}\n"
         "  - name: plain\n"
         "    split: [{version: a, upstream: shop-blue, weight: 100}]\n";
}

class AdminConfigTest : public test_support::AdminServerHarness {
 protected:
  void SetUp() override {
    path_ = dir_.write_file("proxy.yaml", test_yaml());
    state_.set_config_path(path_);  // before start(): no other thread yet
    start();
  }

  std::string hash() {
    const auto answer = client().request("GET", "/v1/config");
    EXPECT_EQ(answer.status, 200);
    return std::string(json::parse(answer.body).at("hash").as_string());
  }

  TestHttpClient& client() {
    if (!client_) client_.emplace(address_);
    return *client_;
  }

  test::TempDir dir_;
  std::string path_;
  std::optional<TestHttpClient> client_;
};

TEST_F(AdminConfigTest, ConfigIsTheCanonicalTextAndItsHash) {
  const auto answer = client().request("GET", "/v1/config");
  ASSERT_EQ(answer.status, 200);
  const std::string prefix = R"({"hash":")";
  ASSERT_EQ(answer.body.rfind(prefix, 0), 0u) << answer.body;
  const auto hash = answer.body.substr(prefix.size(), 64);
  const std::string config_key = R"(","config":)";
  ASSERT_EQ(answer.body.substr(prefix.size() + 64, config_key.size()), config_key);
  const auto text = answer.body.substr(prefix.size() + 64 + config_key.size());
  const auto config_text = text.substr(0, text.size() - 1);  // without the closing brace
  EXPECT_EQ(sha256_hex(config_text), hash) << "the hash covers exactly the config text";
  EXPECT_EQ(config_text, canonical_config_json(test_support::make_test_config()));
  EXPECT_EQ(json::parse(answer.body).at("config").at("routes").at(0).at("name"), "shop");
}

TEST_F(AdminConfigTest, HashIsStableForEqualConfigsAndFollowsWeightChanges) {
  const auto initial = hash();
  EXPECT_EQ(hash(), initial);
  EXPECT_EQ(initial, config_hash(test_support::make_test_config()))
      << "an equal configuration built elsewhere hashes the same";

  ASSERT_EQ(client().request("PUT", "/v1/routes/shop/weights", R"({"canary":10})").status, 200);
  const auto changed = hash();
  EXPECT_NE(changed, initial);
  const auto body = json::parse(client().request("GET", "/v1/config").body);
  EXPECT_EQ(body.at("config").at("routes").at(0).at("split").at(1).at("weight"), 10);

  ASSERT_EQ(client().request("PUT", "/v1/routes/shop/weights", R"({"canary":5})").status, 200);
  EXPECT_EQ(hash(), initial) << "back to the same configuration, back to the same hash";
}

TEST_F(AdminConfigTest, ReloadOfTheSameFileKeepsTheHash) {
  const auto initial = hash();
  const auto answer = client().request("POST", "/v1/config/reload");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(json::parse(answer.body),
            (json::object{{"hash", initial}, {"restart_required", json::array{}}}));
}

TEST_F(AdminConfigTest, GoodReloadIsAppliedCountedAndRecorded) {
  const auto initial = hash();
  const auto generation = publisher_.generation();
  dir_.write_file("proxy.yaml", test_yaml(20, 0, "  - {name: extra, endpoints: [127.0.0.1:18099]}\n"));
  const auto answer = client().request("POST", "/v1/config/reload");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto reloaded = json::parse(answer.body);
  EXPECT_NE(std::string(reloaded.at("hash").as_string()), initial);
  EXPECT_EQ(reloaded.at("restart_required"), json::array{});
  EXPECT_EQ(hash(), reloaded.at("hash").as_string()) << "the answer's hash is the one in force";
  EXPECT_EQ(publisher_.generation(), generation + 1) << "one snapshot for the whole reload";
  EXPECT_EQ(publisher_.current()->find_route("shop")->versions.at(1).weight, 20u);

  const auto route = json::parse(client().request("GET", "/v1/routes/shop").body);
  EXPECT_EQ(route.at("split").at(1).at("weight"), 20);
  EXPECT_EQ(client().request("GET", "/v1/upstreams/extra").status, 405)
      << "GET on one upstream is not an endpoint; the list has it:";
  EXPECT_NE(client().request("GET", "/v1/upstreams").body.find("\"extra\""), std::string::npos);

  const auto events = json::parse(client().request("GET", "/v1/events").body).at("events");
  ASSERT_EQ(events.as_array().size(), 1u);
  EXPECT_EQ(events.at(0).at("kind"), "config_reloaded");
  EXPECT_EQ(events.at(0).at("hash"), reloaded.at("hash"));
  EXPECT_EQ(on_control_thread([&] { return state_.reloads_applied(); }), 1u);
  EXPECT_EQ(on_control_thread([&] { return state_.reloads_rejected(); }), 0u);
}

TEST_F(AdminConfigTest, BadReloadIs400WithTheKeyPathAndKeepsEverything) {
  ASSERT_EQ(client().request("PUT", "/v1/routes/shop/weights", R"({"canary":9})").status, 200);
  const auto before = hash();
  const auto generation = publisher_.generation();
  dir_.write_file("proxy.yaml", test_yaml(-1));
  const auto answer = client().request("POST", "/v1/config/reload");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(std::string(json::parse(answer.body).at("error").as_string()),
            path_ + ": routes[0].split[1].weight: must be >= 0");
  EXPECT_EQ(hash(), before) << "the running configuration, runtime change included, is kept";
  EXPECT_EQ(publisher_.generation(), generation) << "nothing published";

  const auto events = json::parse(client().request("GET", "/v1/events?since=1").body).at("events");
  ASSERT_EQ(events.as_array().size(), 1u);
  EXPECT_EQ(events.at(0).at("kind"), "config_rejected");
  EXPECT_EQ(std::string(events.at(0).at("error").as_string()),
            path_ + ": routes[0].split[1].weight: must be >= 0");
  EXPECT_EQ(on_control_thread([&] { return state_.reloads_rejected(); }), 1u);
  EXPECT_EQ(on_control_thread([&] { return state_.reloads_applied(); }), 0u);

  dir_.write_file("proxy.yaml", "listeners: [\n");
  EXPECT_EQ(client().request("POST", "/v1/config/reload").status, 400) << "YAML syntax error";
  EXPECT_EQ(on_control_thread([&] { return state_.reloads_rejected(); }), 2u);
}

TEST_F(AdminConfigTest, ProcessSettingsNeedARestartAndKeepTheirRunningValues) {
  dir_.write_file("proxy.yaml", test_yaml(30, 4));
  const auto answer = client().request("POST", "/v1/config/reload");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(json::parse(answer.body).at("restart_required"), json::parse(R"(["workers"])"));
  const auto config = json::parse(client().request("GET", "/v1/config").body).at("config");
  EXPECT_EQ(config.at("workers"), 0) << "the running value";
  EXPECT_EQ(config.at("routes").at(0).at("split").at(1).at("weight"), 30) << "the rest applied";
}

TEST_F(AdminConfigTest, ReloadRearmsTrippedGuards) {
  ASSERT_TRUE(on_control_thread([&] { return state_.mark_tripped("shop").ok(); }));
  ASSERT_EQ(client().request("POST", "/v1/config/reload").status, 200);
  EXPECT_EQ(on_control_thread([&] { return state_.guard_state("shop"); }), GuardState::armed);
  EXPECT_EQ(publisher_.current()->find_route("shop")->versions.at(1).weight, 5u)
      << "the file's weights replace the trip's 100/0";
}

}  // namespace
}  // namespace switchyard::proxy::admin
