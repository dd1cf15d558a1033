// `requires:` (SPEC §6): production takes a version only after it succeeded in staging, unless
// forced - and a forced start is recorded. Two environments, each with its own proxy.
#include <gtest/gtest.h>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

class ControllerRequiresTest : public CustomControllerFixture {
 protected:
  std::int64_t start_in(const std::string& env, const std::string& version, int expected_status,
                        const std::string& extra = "") {
    int status = 0;
    auto created = api("POST", "/v1/rollouts",
                       R"({"app":"shop","env":")" + env + R"(","version":")" + version + "\"" + extra + "}", &status);
    EXPECT_EQ(status, expected_status) << boost::json::serialize(created);
    last_answer_ = created;
    return created.is_object() && created.get_object().contains("id") ? created.at("id").as_int64() : 0;
  }

  void abort_and_wait(std::int64_t id) {
    int status = 0;
    api("POST", "/v1/rollouts/" + std::to_string(id) + "/abort", "", &status);
    EXPECT_EQ(status, 200);
    EXPECT_EQ(wait_finished(id, 30s), "aborted") << controller_->output();
  }

  std::unique_ptr<DemoBackend> production_backend_;
  std::unique_ptr<ProxyProcess> production_proxy_;
  boost::json::value last_answer_;
};

TEST_F(ControllerRequiresTest, ProductionRequiresStagingUnlessForced) {
  start_proxy(/*guard=*/false);  // staging, with traffic
  production_backend_ = std::make_unique<DemoBackend>("v1");
  ASSERT_TRUE(production_backend_->ok());
  production_proxy_ = make_shop_proxy(*production_backend_, false);
  ASSERT_TRUE(production_proxy_->ok());
  start_controller_with(
      {{{"staging", proxy_->admin_port(), ""}, {"production", production_proxy_->admin_port(), "staging"}},
       31200, 1, ""});
  start_traffic();

  start_in("production", "v2", 409);
  ASSERT_TRUE(last_answer_.is_object());
  EXPECT_NE(std::string(last_answer_.at("error").as_string()).find("'staging'"), std::string::npos)
      << boost::json::serialize(last_answer_);
  auto run = cli({"rollout", "start", "shop", "--env", "production", "--version", "v2"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("staging"), std::string::npos) << run.output;

  const auto staged = start_in("staging", "v2", 201);
  ASSERT_GT(staged, 0);
  ASSERT_EQ(wait_finished(staged, 40s), "succeeded") << controller_->output();

  const auto accepted = start_in("production", "v2", 201);
  ASSERT_GT(accepted, 0);
  EXPECT_TRUE(rollout(accepted).at("forced_by").is_null());
  auto production_split = http_request("127.0.0.1", production_proxy_->admin_port(), "GET", "/v1/routes/shop");
  EXPECT_NE(production_split.body.find("\"v1\""), std::string::npos) << production_split.body;
  abort_and_wait(accepted);

  // v5 never ran in staging: refused, then forced through the CLI and recorded as such.
  start_in("production", "v5", 409);
  run = cli({"--output", "json", "rollout", "start", "shop", "--env", "production", "--version", "v5", "--force",
             "--reason", "hotfix"});
  ASSERT_EQ(run.code, 0) << run.output;
  boost::system::error_code ec;
  auto forced = boost::json::parse(run.output, ec);
  ASSERT_FALSE(ec) << run.output;
  const auto forced_id = forced.at("id").as_int64();
  const auto stored = rollout(forced_id);
  EXPECT_TRUE(stored.at("forced_by").is_string()) << boost::json::serialize(stored);
  EXPECT_EQ(stored.at("forced_reason"), "hotfix") << boost::json::serialize(stored);
  EXPECT_EQ(stored.at("env"), "production");
  abort_and_wait(forced_id);
  // Staging, which nothing was forced in, kept its v2.
  EXPECT_EQ(split(), (std::map<std::string, std::int64_t>{{"v2", 100}}));
}

}  // namespace
}  // namespace switchyard::test
