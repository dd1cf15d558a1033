// The controller's own changes during a whole canary rollout are desired state, never drift.
#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

class DriftRolloutTest : public ControllerFixture {};

TEST_F(DriftRolloutTest, NoFalseDriftDuringACanaryRollout) {
  start_all(19700);
  ASSERT_TRUE(eventually(
      [&] {
        auto value = api("GET", "/v1/drift?env=test");
        return value.is_object() && value.at("proxies").as_array().front().at("state").as_string() == "in_sync";
      },
      std::chrono::seconds(5)));
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  std::string seen_states;
  std::int64_t checks = 0;
  eventually(
      [&] {
        auto value = api("GET", "/v1/drift?env=test");
        if (value.is_object()) {
          const auto state = std::string(value.at("proxies").as_array().front().at("state").as_string());
          if (state != "in_sync") seen_states += state + " ";
          ++checks;
        }
        auto row = rollout(id);
        return row.contains("result") && row.at("result").is_string();
      },
      std::chrono::seconds(25));
  EXPECT_EQ(wait_finished(id, std::chrono::seconds(1)), "succeeded");
  EXPECT_GT(checks, 20);
  EXPECT_EQ(seen_states, "") << "drift reported during the controller's own rollout";
  auto report = api("GET", "/v1/drift/report?env=test");
  EXPECT_EQ(report.at("total").as_int64(), 0) << boost::json::serialize(report);
  EXPECT_EQ(split()["v2"], 100);
}

}  // namespace
}  // namespace switchyard::test
