// Drift detection end to end: changes made behind the controller's back on the proxy's admin
// port are reported (and, with remediate: auto, repaired) within 1 s; figures are printed.
#include "tests/controller/drift/drift_fixture.hpp"

namespace switchyard::test {
namespace {

constexpr auto kOneSecond = std::chrono::milliseconds(1000);
constexpr int kInjections = 20;

TEST_F(DriftFixture, ReportModeDetectsEveryChangeWithinOneSecondAndNeverTouchesTheProxy) {
  start("report");
  std::vector<std::int64_t> detection;
  for (int i = 0; i < kInjections; ++i) {
    const int weight = i + 1;
    const auto injected = std::chrono::steady_clock::now();
    ASSERT_EQ(admin("PUT", "/v1/routes/shop/weights", R"({"v2":)" + std::to_string(weight) + "}").status, 200);
    ASSERT_TRUE(eventually([&] { return state() == "drifted"; }, std::chrono::seconds(3))) << "injection " << i;
    detection.push_back(since_ms(injected));
    EXPECT_NE(diff_text().find("route shop: weight v2 desired 0, actual " + std::to_string(weight)), std::string::npos)
        << diff_text();
    if (i == 0) {
      // Report mode: the proxy keeps what was done to it.
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      EXPECT_EQ(weights()["v2"], weight);
      EXPECT_EQ(state(), "drifted");
    }
    // Someone puts it back: the drift ends as "reverted".
    ASSERT_EQ(admin("PUT", "/v1/routes/shop/weights", R"({"v2":0})").status, 200);
    ASSERT_TRUE(eventually([&] { return state() == "in_sync"; }, std::chrono::seconds(3)));
  }
  print_figures("drift detection (report mode)", detection);
  for (auto ms : detection) EXPECT_LT(ms, kOneSecond.count());
  // The compliance report lists every incident with when it was found and how it ended.
  auto list = incidents();
  ASSERT_EQ(list.size(), static_cast<std::size_t>(kInjections));
  for (const auto& value : list) {
    const auto& incident = value.as_object();
    EXPECT_GT(incident.at("found_at").as_int64(), 0);
    ASSERT_TRUE(incident.at("resolved_at").is_int64());
    EXPECT_GE(incident.at("resolved_at").as_int64(), incident.at("found_at").as_int64());
    EXPECT_EQ(incident.at("resolution").as_string(), "reverted");
    EXPECT_FALSE(incident.at("diff").as_array().empty());
  }
  // The events were recorded too (drift_found with detected_ms known from the proxy's event).
  auto report = api("GET", "/v1/drift/report?env=test&since=0");
  EXPECT_EQ(report.at("open").as_int64(), 0);
}

TEST_F(DriftFixture, AutoModeRepairsWeightsAndEndpointsWithinOneSecond) {
  start("auto");
  std::vector<std::int64_t> detection;
  std::vector<std::int64_t> repair;
  for (int i = 0; i < kInjections; ++i) {
    const auto before = incidents().size();
    const auto injected_wall = wall_ms();
    const auto injected = std::chrono::steady_clock::now();
    const bool endpoints = i % 2 == 1;
    if (endpoints) {
      ASSERT_EQ(admin("PUT", "/v1/upstreams/shop-v2", R"({"endpoints":["127.0.0.1:9"]})").status, 200);
    } else {
      ASSERT_EQ(admin("PUT", "/v1/routes/shop/weights", R"({"v1":50,"v2":50})").status, 200);
    }
    auto repaired = [&] {
      if (endpoints) {
        auto body = admin("GET", "/v1/upstreams").body;
        return body.find("127.0.0.1:9\"") == std::string::npos;
      }
      auto now = weights();
      return now["v1"] == 100 && now["v2"] == 0;
    };
    ASSERT_TRUE(eventually(repaired, std::chrono::seconds(3))) << "injection " << i;
    repair.push_back(since_ms(injected));
    ASSERT_TRUE(eventually([&] { return incidents().size() == before + 1 && state() == "in_sync"; },
                           std::chrono::seconds(3)));
    const auto incident = incidents().back().as_object();
    detection.push_back(incident.at("found_at").as_int64() - injected_wall);
    EXPECT_EQ(incident.at("resolution").as_string(), "remediated");
    EXPECT_EQ(incident.at("resolved_by").as_string(), "controller (remediate: auto)");
    const auto first_line = std::string(incident.at("diff").as_array().front().as_string());
    EXPECT_EQ(first_line, endpoints ? "upstream shop-v2: endpoint " + backend_->address() + " missing, 127.0.0.1:9 unexpected"
                                    : "route shop: weight v1 desired 100, actual 50");
  }
  print_figures("drift detection (auto mode)", detection);
  print_figures("drift repair (auto mode, injection to proxy restored)", repair);
  for (auto ms : detection) EXPECT_LT(ms, kOneSecond.count());
  for (auto ms : repair) EXPECT_LT(ms, kOneSecond.count());
  auto status = drift();
  EXPECT_EQ(status.at("remediations").as_int64(), kInjections);
}

TEST_F(DriftFixture, ProxyRestartedWithAnOlderFileIsDrift) {
  start("report");
  // The controller's own change (through its API) is desired, not drift.
  int code = 0;
  api("PUT", "/v1/envs/test/routes/shop/weights", R"({"v1":60,"v2":40})", &code);
  ASSERT_EQ(code, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(state(), "in_sync") << diff_text();
  // The proxy restarts with its file, which still says 100/0.
  const auto port = admin_port_;
  proxy_->process().signal(SIGKILL);
  ASSERT_TRUE(proxy_->process().wait_exit(std::chrono::seconds(5)));
  EXPECT_TRUE(eventually([&] { return state() == "unreachable"; }, std::chrono::seconds(3)));
  EXPECT_TRUE(incidents().empty()) << "an unreachable proxy is not drift";
  const auto restarted = std::chrono::steady_clock::now();
  start_proxy(proxy_yaml(100, 0, port));
  ASSERT_TRUE(eventually([&] { return state() == "drifted"; }, std::chrono::seconds(3)));
  std::printf("restart with an older file: drift reported %lld ms after the proxy was up\n",
              static_cast<long long>(since_ms(restarted)));
  EXPECT_LT(since_ms(restarted), 1500);
  EXPECT_NE(diff_text().find("route shop: weight v1 desired 60, actual 100"), std::string::npos) << diff_text();
  EXPECT_NE(diff_text().find("route shop: weight v2 desired 40, actual 0"), std::string::npos) << diff_text();
  // Accepting the file's state makes it the new baseline: recorded with who accepted it.
  auto accepted = api("POST", "/v1/drift/accept", R"({"env":"test"})", &code);
  ASSERT_EQ(code, 200) << boost::json::serialize(accepted);
  EXPECT_TRUE(eventually([&] { return state() == "in_sync"; }, std::chrono::seconds(2)));
  ASSERT_TRUE(eventually([&] { return incidents().size() == 1 && incidents()[0].at("resolved_at").is_int64(); },
                         std::chrono::seconds(2)));
  EXPECT_EQ(incidents()[0].at("resolution").as_string(), "accepted");
  EXPECT_EQ(incidents()[0].at("resolved_by").as_string(), "tester");
  EXPECT_EQ(weights()["v1"], 100);
}

TEST_F(DriftFixture, UnreachableProxyIsReportedAsUnreachableNotDrift) {
  start("auto");
  proxy_->process().signal(SIGKILL);
  ASSERT_TRUE(proxy_->process().wait_exit(std::chrono::seconds(5)));
  ASSERT_TRUE(eventually([&] { return state() == "unreachable"; }, std::chrono::seconds(3)));
  EXPECT_FALSE(drift().at("error").as_string().empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(state(), "unreachable");
  EXPECT_TRUE(incidents().empty());
  int code = 0;
  api("GET", "/v1/drift?env=nope", "", &code);
  EXPECT_EQ(code, 404);
  api("POST", "/v1/drift/accept", R"({"proxy":"x"})", &code);
  EXPECT_EQ(code, 400);
}

}  // namespace
}  // namespace switchyard::test
