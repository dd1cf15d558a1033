// The dashboard's server side against the real processes: the embedded page and its headers,
// GET /v1/series filled by the sampler from the proxy's stats, GET /v1/events, the token.
#include <gtest/gtest.h>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {
namespace {

class DashboardApiTest : public CustomControllerFixture {
 protected:
  HttpResponse get(const std::string& target, const HttpHeaders& headers = {}) {
    return http_request("127.0.0.1", controller_port_, "GET", target, "", headers, std::chrono::seconds(5));
  }
  boost::json::object get_json(const std::string& target) {
    auto response = get(target);
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    return !ec && value.is_object() ? value.get_object() : boost::json::object();
  }
};

TEST_F(DashboardApiTest, ServesTheEmbeddedPageWithoutTokenButDataNeedsIt) {
  start_proxy(false);
  const auto token_file = dir_.write_file("controller.token", "dash-token\n");
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 24200, 30, token_file});
  auto page = get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(page.headers["cache-control"], "no-cache");
  EXPECT_NE(page.headers["content-security-policy"].find("default-src 'self'"), std::string::npos);
  EXPECT_NE(page.body.find("/static/app.js"), std::string::npos);
  auto script = get("/static/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_NE(script.body.find("/v1/series"), std::string::npos);
  EXPECT_EQ(get("/static/style.css").headers["content-type"], "text/css; charset=utf-8");
  EXPECT_EQ(get("/static/nothing.js").status, 404);
  EXPECT_EQ(get("/static/../main.cpp").status, 404);
  EXPECT_EQ(get("/v1/series?env=test&route=shop").status, 401);
  EXPECT_EQ(get("/v1/events").status, 401);
  EXPECT_EQ(get("/v1/events", {{"Authorization", "Bearer dash-token"}}).status, 200);
}

TEST_F(DashboardApiTest, SeriesSampleTheProxyEverySecondAndEventsFollowTheStore) {
  start_proxy(false);
  start_controller_with({{{"test", proxy_->admin_port(), ""}}, 24250, 30, ""});
  start_traffic();
  boost::json::object series;
  // Traffic runs every 3 ms: within a few samples v1's rate is well above zero.
  ASSERT_TRUE(eventually(
      [&] {
        series = get_json("/v1/series?env=test&route=shop");
        const auto* versions = series.if_contains("versions");
        if (!versions || !versions->as_object().contains("v1")) return false;
        const auto& points = versions->at("v1").as_array();
        return points.size() >= 2 && points.back().at("rps").to_number<double>() > 10;
      },
      std::chrono::seconds(10)))
      << boost::json::serialize(series);
  EXPECT_EQ(boost::json::serialize(series.at("split")), R"([{"version":"v1","weight":100}])");
  EXPECT_EQ(series.at("proxies_ok").as_int64(), 1);
  const auto& points = series.at("versions").at("v1").as_array();
  const auto last_t = points.back().at("t").as_int64();
  EXPECT_GE(last_t - points.front().at("t").as_int64(), 700);  // one sample a second, not a burst
  EXPECT_EQ(points.back().at("error_rate").to_number<double>(), 0.0);
  // since_ms: only newer points.
  auto newer = get_json("/v1/series?env=test&route=shop&since_ms=" + std::to_string(last_t));
  for (const auto& p : newer.at("versions").at("v1").as_array()) EXPECT_GT(p.at("t").as_int64(), last_t);
  EXPECT_EQ(get("/v1/series?env=nowhere&route=shop").status, 404);
  EXPECT_EQ(get("/v1/series?env=test&route=other").status, 404);
  EXPECT_EQ(get("/v1/series?env=test").status, 400);
  EXPECT_EQ(get("/v1/series?env=test&route=shop&since_ms=x").status, 400);

  // A manual weight change is a `weights_set` event; ?after= pages from a sequence number.
  auto first = get_json("/v1/events");
  const auto seq = first.at("last_seq").as_int64();
  int status = 0;
  api("PUT", "/v1/envs/test/routes/shop/weights", R"({"v1":70})", &status);
  ASSERT_EQ(status, 200);
  auto after = get_json("/v1/events?after=" + std::to_string(seq));
  ASSERT_EQ(after.at("events").as_array().size(), 1u) << boost::json::serialize(after);
  const auto& event = after.at("events").at(0);
  EXPECT_EQ(event.at("kind"), "weights_set");
  EXPECT_EQ(event.at("app"), "shop");
  EXPECT_EQ(event.at("env"), "test");
  EXPECT_EQ(boost::json::serialize(event.at("detail").at("weights")), R"({"v1":70})");
  EXPECT_EQ(event.at("detail").at("applied"), true);
  EXPECT_GT(after.at("last_seq").as_int64(), seq);
  EXPECT_EQ(get("/v1/events?limit=0").status, 400);
  EXPECT_EQ(get("/v1/events?after=-1").status, 400);
  // The bar's source follows within a couple of samples.
  EXPECT_TRUE(eventually(
      [&] { return boost::json::serialize(get_json("/v1/series?env=test&route=shop&since_ms=0").at("split")) ==
                   R"([{"version":"v1","weight":70}])"; },
      std::chrono::seconds(5)));
}

}  // namespace
}  // namespace switchyard::test
