// `switchyard drift`, `drift --report` and `drift accept` against the real controller.
#include "tests/controller/drift/drift_fixture.hpp"

namespace switchyard::test {
namespace {

TEST_F(DriftFixture, CliShowsDriftTheReportAndAccepts) {
  start("report");
  auto run = run_cli(controller_port_, {"drift", "--env", "test"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("in_sync"), std::string::npos) << run.output;
  ASSERT_EQ(admin("PUT", "/v1/upstreams/shop-v2", R"({"endpoints":["127.0.0.1:9"]})").status, 200);
  ASSERT_TRUE(eventually([&] { return state() == "drifted"; }, std::chrono::seconds(2)));
  run = run_cli(controller_port_, {"drift"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.output.find("drifted"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("upstream shop-v2: endpoint " + backend_->address() + " missing, 127.0.0.1:9 unexpected"),
            std::string::npos)
      << run.output;
  run = run_cli(controller_port_, {"drift", "accept", "--env", "test"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("accepted"), std::string::npos) << run.output;
  ASSERT_TRUE(eventually([&] { return state() == "in_sync"; }, std::chrono::seconds(2)));
  run = run_cli(controller_port_, {"drift", "--report", "--env", "test"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.output.find("RESOLUTION"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("accepted"), std::string::npos) << run.output;
  // The accepted endpoints are now the baseline: the proxy was not changed back.
  EXPECT_NE(admin("GET", "/v1/upstreams").body.find("127.0.0.1:9\""), std::string::npos);
  run = run_cli(controller_port_, {"drift", "accept"});
  EXPECT_EQ(run.code, 2) << run.output;
}

}  // namespace
}  // namespace switchyard::test
