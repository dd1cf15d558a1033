// Analytics end to end: a scripted history in the state file, the real controller on it,
// GET /v1/analytics, `switchyard analytics` (JSON and table), --since, and GET /metrics parsed by
// the reference Prometheus parser; then one live rollout through a real proxy moves the metrics.
#include <sstream>

#include "tests/controller/analytics/scripted_history.hpp"
#include "tests/controller/engine/controller_fixture.hpp"
#include "tests/support/prometheus_samples.hpp"

namespace switchyard::test {
namespace {

using namespace history;

// RFC 3339 UTC, second precision.
std::string rfc3339(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The whitespace-separated cells of the first table line starting with `app` then `env`.
std::vector<std::string> table_row(const std::string& table, const std::string& app, const std::string& env) {
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::vector<std::string> cells;
    for (std::string cell; words >> cell;) cells.push_back(cell);
    if (cells.size() >= 2 && cells[0] == app && cells[1] == env) return cells;
  }
  return {};
}

class ControllerAnalyticsTest : public CustomControllerFixture {
 protected:
  void SetUp() override {
    t0_ = (wall_ms() / 1000 - 86'400) * 1000;  // a day ago, whole seconds
    controller::store::StateStore store;
    ASSERT_TRUE(store.open(dir_.path() + "/state.db").ok());
    write(store, t0_, false);
  }

  boost::json::object metrics() {
    auto response = http_request("127.0.0.1", controller_port_, "GET", "/metrics");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.headers["content-type"].rfind("text/plain; version=0.0.4", 0), 0u);
    return prometheus_samples(response.body);
  }

  std::int64_t t0_ = 0;
};

TEST_F(ControllerAnalyticsTest, ApiCliAndMetricsMatchTheScriptedHistory) {
  start_proxy(false);
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 33700, 1, ""});

  auto all = api("GET", "/v1/analytics");
  const auto& totals = all.at("totals");
  EXPECT_EQ(totals.at("deployments").as_int64(), 8);
  EXPECT_EQ(totals.at("in_progress").as_int64(), 0);
  EXPECT_EQ(totals.at("succeeded").as_int64(), 3);
  EXPECT_EQ(totals.at("failed").as_int64(), 4);
  EXPECT_EQ(totals.at("aborted").as_int64(), 1);
  EXPECT_DOUBLE_EQ(totals.at("success_rate").as_double(), 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(totals.at("change_failure_rate").as_double(), 4.0 / 7.0);
  EXPECT_EQ(totals.at("mean_duration_ms").as_int64(), 76'250);
  EXPECT_EQ(totals.at("p90_duration_ms").as_int64(), 200'000);
  EXPECT_EQ(totals.at("rollbacks").as_int64(), 4);
  EXPECT_EQ(totals.at("mean_time_to_restore_ms").as_int64(), 7'667);
  EXPECT_EQ(totals.at("guard_trips").as_int64(), 3);
  EXPECT_EQ(totals.at("drift_incidents").as_int64(), 4);
  EXPECT_EQ(all.at("groups").as_array().size(), 3u);

  auto window = api("GET", "/v1/analytics?app=shop&env=prod&since=" + rfc3339(t0_ + 2 * kHour));
  ASSERT_EQ(window.at("groups").as_array().size(), 1u);
  EXPECT_EQ(window.at("since_ms").as_int64(), t0_ + 2 * kHour);
  EXPECT_EQ(window.at("totals").at("deployments").as_int64(), 4);
  EXPECT_EQ(window.at("totals").at("mean_time_to_restore_ms").as_int64(), 5'000);
  EXPECT_TRUE(api("GET", "/v1/analytics?since=1h").at("groups").as_array().empty());
  int status = 0;
  auto refused = api("GET", "/v1/analytics?since=soon", "", &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(boost::json::serialize(refused).find("since must be"), std::string::npos);

  auto json = cli({"--output", "json", "analytics", "shop", "--env", "prod"});
  ASSERT_EQ(json.code, 0) << json.output;
  auto parsed = boost::json::parse(json.output);
  EXPECT_EQ(parsed.at("totals").at("p90_duration_ms").as_int64(), 200'000);
  EXPECT_EQ(parsed.at("groups").as_array().size(), 1u);

  auto table = cli({"analytics"});
  ASSERT_EQ(table.code, 0) << table.output;
  EXPECT_EQ(table_row(table.output, "APP", "ENV"),
            (std::vector<std::string>{"APP", "ENV", "DEPLOYS", "OK", "FAILED", "ABORTED", "RUNNING", "SUCCESS", "CFR",
                                      "MEAN", "P90", "ROLLBACKS", "MTTR", "GUARD", "DRIFT"}));
  EXPECT_EQ(table_row(table.output, "shop", "prod"),
            (std::vector<std::string>{"shop", "prod", "6", "2", "3", "1", "0", "33.33%", "60.00%", "1m27s", "3m20s",
                                      "3", "4s", "2", "0"}))
      << table.output;
  EXPECT_EQ(table_row(table.output, "prod", "3").size(), 3u) << table.output;  // drift: prod 3 incidents, 1 now

  auto since = cli({"analytics", "--since", "1h"});
  ASSERT_EQ(since.code, 0) << since.output;
  EXPECT_NE(since.output.find("no rollouts"), std::string::npos) << since.output;
  auto bad = cli({"analytics", "--since", "soon"});
  EXPECT_EQ(bad.code, 2) << bad.output;

  auto m = metrics();
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_up{}"), 1);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_total{app=shop,env=prod,result=failed}"), 3);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_total{app=shop,env=prod,result=succeeded}"), 2);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_total{app=shop,env=prod,result=aborted}"), 1);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_deployment_duration_seconds_count{app=shop,env=prod}"), 6);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_deployment_duration_seconds_sum{app=shop,env=prod}"), 525);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_deployment_duration_seconds_bucket{app=shop,env=prod,le=60}"),
            3);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollback_duration_seconds_count{app=shop,env=prod}"), 2);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollback_duration_seconds_sum{app=shop,env=prod}"), 8);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollback_duration_seconds_bucket{app=cart,env=prod,le=10}"), 0);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollback_duration_seconds_bucket{app=cart,env=prod,le=30}"), 1);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_guard_trips_total{app=shop,env=prod}"), 2);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_drift_incidents_total{env=prod}"), 3);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_drift_active{env=prod}"), 1);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_drift_active{env=test}"), 0);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_in_progress{app=shop,env=test}"), 0);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_total{app=shop,env=test,result=succeeded}"), 0);
}

TEST_F(ControllerAnalyticsTest, LiveRolloutMovesTheMetricsAndTheyOutliveARestart) {
  start_proxy(false);
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 33750, 1, ""});
  start_traffic();
  const auto id = start_rollout("v2");
  ASSERT_GT(id, 0);
  EXPECT_EQ(prometheus_sample(metrics(), "switchyard_controller_rollouts_in_progress{app=shop,env=test}"), 1);
  ASSERT_EQ(wait_finished(id, std::chrono::seconds(25)), "succeeded");
  auto m = metrics();
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_in_progress{app=shop,env=test}"), 0);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_total{app=shop,env=test,result=succeeded}"), 1);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_deployment_duration_seconds_count{app=shop,env=test}"), 1);
  EXPECT_EQ(api("GET", "/v1/analytics?env=test").at("totals").at("succeeded").as_int64(), 1);

  kill_controller();
  start_controller();
  m = metrics();
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_total{app=shop,env=test,result=succeeded}"), 1);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_total{app=shop,env=prod,result=failed}"), 3);
}

// A faulty version behind a guarded route: the controller records the proxy's guard trip as a
// guard_tripped event of the rollout, and the analytics measure detection -> baseline restored.
TEST_F(ControllerAnalyticsTest, GuardTripIsRecordedAndTheRestoreMeasured) {
  start_proxy(/*guard=*/true);
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 33800, 30, ""});
  start_traffic();
  const auto id = start_rollout("v3");
  ASSERT_GT(id, 0);
  ASSERT_EQ(wait_finished(id, std::chrono::seconds(25)), "failed") << controller_->output();

  auto figures = api("GET", "/v1/analytics?env=test").at("totals");
  EXPECT_EQ(figures.at("failed").as_int64(), 1);
  EXPECT_EQ(figures.at("rollbacks").as_int64(), 1);
  EXPECT_GE(figures.at("guard_trips").as_int64(), 1);
  EXPECT_EQ(figures.at("restores").as_int64(), 1);
  const auto restore = figures.at("mean_time_to_restore_ms").as_int64();
  std::printf("[ metric ] guard trip -> baseline restored (analytics MTTR): %lldms\n", static_cast<long long>(restore));
  EXPECT_GE(restore, 0);
  EXPECT_LT(restore, 5000);

  controller::store::StateStore store;
  ASSERT_TRUE(store.open(dir_.path() + "/state.db").ok());
  auto events = store.events_since(0, 100000);
  ASSERT_TRUE(events.ok());
  bool recorded = false;
  for (const auto& event : events.value()) {
    if (event.kind != "guard_tripped" || event.rollout_id != id) continue;
    recorded = true;
    EXPECT_EQ(event.app, "shop");
    EXPECT_EQ(event.env, "test");
    EXPECT_NE(event.detail_json.find("\"route\":\"shop\""), std::string::npos) << event.detail_json;
  }
  EXPECT_TRUE(recorded);

  auto m = metrics();
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollback_duration_seconds_count{app=shop,env=test}"), 1);
  EXPECT_GE(prometheus_sample(m, "switchyard_controller_guard_trips_total{app=shop,env=test}"), 1);
  EXPECT_EQ(prometheus_sample(m, "switchyard_controller_rollouts_total{app=shop,env=test,result=failed}"), 1);
}

}  // namespace
}  // namespace switchyard::test
