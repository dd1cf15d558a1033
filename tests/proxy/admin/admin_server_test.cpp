#include "proxy/admin/admin_server.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>

#include "admin_server_harness.hpp"
#include "proxy/admin/control_state.hpp"
#include "test_http_client.hpp"

namespace json = boost::json;

namespace switchyard::proxy::admin {
namespace {

using test_support::HttpAnswer;
using test_support::TestHttpClient;

// A temporary file removed at scope exit.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    path_ = std::filesystem::temp_directory_path() /
            ("sy_admin_token_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

// The shared harness plus the JSON helpers these tests use.
class AdminServerTest : public test_support::AdminServerHarness {
 protected:
  static json::value body_of(const HttpAnswer& answer) { return json::parse(answer.body); }
  static std::string error_of(const HttpAnswer& answer) {
    return std::string(json::parse(answer.body).at("error").as_string());
  }
};

TEST_F(AdminServerTest, StartReturnsTheRealPort) {
  start();
  EXPECT_EQ(address_.rfind("127.0.0.1:", 0), 0u);
  EXPECT_NE(address_, "127.0.0.1:0");
}

TEST_F(AdminServerTest, HealthzAndKeepAlive) {
  start();
  TestHttpClient client(address_);
  for (int i = 0; i < 3; ++i) {  // one connection, several requests
    const auto answer = client.request("GET", "/healthz");
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.header("content-type"), "application/json");
    EXPECT_EQ(body_of(answer), json::parse(R"({"status":"ok"})"));
  }
}

TEST_F(AdminServerTest, ListAndGetRoutes) {
  start();
  TestHttpClient client(address_);
  auto answer = client.request("GET", "/v1/routes");
  ASSERT_EQ(answer.status, 200);
  const auto routes = body_of(answer).at("routes").as_array();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].at("name"), "shop");
  EXPECT_EQ(routes[0].at("split").at(1).at("weight"), 5);
  EXPECT_EQ(routes[0].at("guard").at("state"), "armed");
  EXPECT_EQ(routes[1].at("guard").at("state"), "off");

  answer = client.request("GET", "/v1/routes/shop");
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(body_of(answer), routes[0]);

  answer = client.request("GET", "/v1/routes/nope");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(error_of(answer), "no such route: nope");
}

TEST_F(AdminServerTest, PutWeightsAnswersTheNewRouteAndPublishes) {
  start();
  TestHttpClient client(address_);
  const auto generation = publisher_.generation();
  auto answer = client.request("PUT", "/v1/routes/shop/weights", R"({"stable":90,"canary":10})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer).at("split").at(0).at("weight"), 90);
  EXPECT_EQ(body_of(answer).at("split").at(1).at("weight"), 10);
  EXPECT_GT(publisher_.generation(), generation);
  EXPECT_EQ(publisher_.current()->find_route("shop")->versions[1].weight, 10u);

  answer = client.request("PUT", "/v1/routes/nope/weights", R"({"a":1})");
  EXPECT_EQ(answer.status, 404);
  answer = client.request("PUT", "/v1/routes/shop/weights", R"({"beta":1})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(error_of(answer).find("beta"), std::string::npos);
}

TEST_F(AdminServerTest, BadBodiesLeaveRoutesUnchanged) {
  start();
  TestHttpClient client(address_);
  const auto before = client.request("GET", "/v1/routes").body;
  const auto generation = publisher_.generation();
  const std::pair<const char*, const char*> bad[] = {
      {"/v1/routes/shop/weights", R"({"stable":90,"canary":-1})"},
      {"/v1/routes/shop/weights", R"({"stable":0,"canary":0})"},
      {"/v1/routes/shop/weights", "{not json"},
      {"/v1/routes/shop/split", R"({"split":[{"version":"canary","upstream":"shop-green","weight":1}]})"},
      {"/v1/routes/shop/split", R"({"split":[{"version":"stable","upstream":"ghost","weight":1}]})"},
      {"/v1/routes/shop/split", R"({"split":[{"version":"stable","upstream":"shop-blue"}]})"},
  };
  for (const auto& [target, body] : bad) {
    const auto answer = client.request("PUT", target, body);
    EXPECT_EQ(answer.status, 400) << target << " " << body;
    EXPECT_FALSE(error_of(answer).empty());
  }
  EXPECT_EQ(client.request("GET", "/v1/routes").body, before);
  EXPECT_EQ(publisher_.generation(), generation);
  EXPECT_EQ(error_of(client.request("PUT", "/v1/routes/shop/weights", R"({"canary":-1})")),
            "weights.canary: must be a non-negative integer");
}

TEST_F(AdminServerTest, PutSplitAndRevert) {
  start();
  TestHttpClient client(address_);
  auto answer = client.request(
      "PUT", "/v1/routes/shop/split",
      R"({"split":[{"version":"stable","upstream":"shop-blue","weight":50},
                   {"version":"v3","upstream":"spare","weight":50}]})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer).at("split").as_array().size(), 2u);
  EXPECT_EQ(body_of(answer).at("split").at(1).at("version"), "v3");
  ASSERT_TRUE(publisher_.current()->find_route("shop")->find_version("v3").has_value());

  answer = client.request("POST", "/v1/routes/shop/revert");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer).at("split").at(0).at("weight"), 100);
  EXPECT_EQ(body_of(answer).at("split").at(1).at("weight"), 0);
  EXPECT_EQ(publisher_.current()->find_route("shop")->versions[1].weight, 0u);

  EXPECT_EQ(client.request("POST", "/v1/routes/nope/revert").status, 404);
}

TEST_F(AdminServerTest, TrippedGuardIsShownAndRearmedByWeights) {
  start();
  on_control_thread([&] { ASSERT_TRUE(state_.mark_tripped("shop").ok()); });
  TestHttpClient client(address_);
  EXPECT_EQ(body_of(client.request("GET", "/v1/routes/shop")).at("guard").at("state"), "tripped");
  const auto answer = client.request("PUT", "/v1/routes/shop/weights", R"({"canary":1})");
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(body_of(answer).at("guard").at("state"), "armed");
}

TEST_F(AdminServerTest, Upstreams) {
  start();
  TestHttpClient client(address_);
  auto answer = client.request("GET", "/v1/upstreams");
  ASSERT_EQ(answer.status, 200);
  ASSERT_EQ(body_of(answer).at("upstreams").as_array().size(), 3u);
  EXPECT_EQ(body_of(answer).at("upstreams").at(0).at("endpoints").at(0),
            json::parse(R"({"address":"127.0.0.1:18081","healthy":true,"state":"healthy","last_error":null,)"
                        R"("last_check_ms":null,"check_successes":0,"check_failures":0,"consecutive_failures":0,)"
                        R"("ejections":0,"ejected_until_ms":0})"));

  const std::string body = R"({"endpoints":["127.0.0.1:19000"]})";
  answer = client.request("PUT", "/v1/upstreams/shop-v3", body);
  EXPECT_EQ(answer.status, 201) << answer.body;
  EXPECT_EQ(body_of(answer).at("name"), "shop-v3");
  answer = client.request("PUT", "/v1/upstreams/shop-v3",
                          R"({"endpoints":["127.0.0.1:19000","127.0.0.1:19001"]})");
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer).at("endpoints").as_array().size(), 2u);
  EXPECT_EQ(body_of(client.request("GET", "/v1/upstreams")).at("upstreams").as_array().size(), 4u);

  answer = client.request("PUT", "/v1/upstreams/bad", R"({"endpoints":["nowhere"]})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(error_of(answer).rfind("endpoints[0]: ", 0), 0u) << error_of(answer);

  answer = client.request("DELETE", "/v1/upstreams/shop-green");
  EXPECT_EQ(answer.status, 409);
  answer = client.request("DELETE", "/v1/upstreams/ghost");
  EXPECT_EQ(answer.status, 404);
  answer = client.request("DELETE", "/v1/upstreams/shop-v3");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(body_of(answer), json::parse(R"({"deleted":"shop-v3"})"));
  EXPECT_EQ(body_of(client.request("GET", "/v1/upstreams")).at("upstreams").as_array().size(), 3u);
}

TEST_F(AdminServerTest, UnknownPathAndWrongMethod) {
  start();
  TestHttpClient client(address_);
  auto answer = client.request("GET", "/x");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(error_of(answer), "no such endpoint: GET /x");
  answer = client.request("GET", "/v1/routes/shop/weights");
  EXPECT_EQ(answer.status, 405);
  EXPECT_EQ(answer.header("allow"), "PUT");
  answer = client.request("POST", "/v1/upstreams/x");
  EXPECT_EQ(answer.status, 405);
  EXPECT_EQ(answer.header("allow"), "PUT, DELETE");
  // The query string is not part of the path.
  EXPECT_EQ(client.request("GET", "/v1/routes?verbose=1").status, 200);
}

TEST_F(AdminServerTest, OversizedBodyIs413) {
  start();
  TestHttpClient client(address_);
  // Only the head is sent: the server must refuse on Content-Length alone.
  const auto answer = client.raw(
      "PUT /v1/routes/shop/weights HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n");
  EXPECT_EQ(answer.status, 413);
  EXPECT_FALSE(error_of(answer).empty());
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(AdminServerTest, ChunkedBodyOverLimitIs413) {
  start();
  TestHttpClient client(address_);
  const std::string chunk(600 * 1024, 'x');
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  const auto answer = client.raw("PUT /v1/routes/shop/weights HTTP/1.1\r\nHost: a\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n" +
                                 std::string(size) + chunk + "\r\n" + size + chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(answer.status, 413);
}

TEST_F(AdminServerTest, ExpectContinueIsAnswered) {
  start();
  TestHttpClient client(address_);
  const std::string body = R"({"canary":7})";
  const auto interim = client.raw("PUT /v1/routes/shop/weights HTTP/1.1\r\nHost: a\r\n"
                                  "Expect: 100-continue\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(interim.status, 100);
  const auto answer = client.raw(body);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer).at("split").at(1).at("weight"), 7);
}

TEST_F(AdminServerTest, MalformedRequestIs400AndCloses) {
  start();
  TestHttpClient client(address_);
  const auto answer = client.raw("GET /healthz HTTP/9.Z\r\nHost: a\r\n\r\n");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(error_of(answer).rfind("bad request: ", 0), 0u) << answer.body;
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(AdminServerTest, StopClosesOpenConnections) {
  start();
  TestHttpClient client(address_);
  ASSERT_EQ(client.request("GET", "/healthz").status, 200);
  on_control_thread([&] { server_->stop(); });
  EXPECT_TRUE(client.closed_by_peer());
  EXPECT_THROW(TestHttpClient{address_}, std::exception);
}

TEST_F(AdminServerTest, TokenGuardsV1Paths) {
  TempFile token("  s3cret-token\n");
  config::AdminConfig cfg;
  cfg.token_file = token.path();
  start(cfg);
  TestHttpClient client(address_);
  EXPECT_EQ(client.request("GET", "/healthz").status, 200);  // stays open

  auto answer = client.request("GET", "/v1/routes");
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(error_of(answer), "missing or invalid bearer token");
  answer = client.request("GET", "/v1/routes", {}, {{"Authorization", "Bearer s3cret-tokem"}});
  EXPECT_EQ(answer.status, 401);
  answer = client.request("GET", "/v1/routes", {}, {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(answer.status, 401);
  answer = client.request("GET", "/v1/routes", {}, {{"Authorization", "Basic s3cret-token"}});
  EXPECT_EQ(answer.status, 401);
  // Refused before routing: an unknown /v1 path does not reveal itself either.
  EXPECT_EQ(client.request("GET", "/v1/nothing").status, 401);
  // A refused mutation changes nothing.
  const auto generation = publisher_.generation();
  EXPECT_EQ(client.request("PUT", "/v1/routes/shop/weights", R"({"canary":50})").status, 401);
  EXPECT_EQ(publisher_.generation(), generation);

  answer = client.request("GET", "/v1/routes", {}, {{"Authorization", "Bearer s3cret-token"}});
  EXPECT_EQ(answer.status, 200);
  answer = client.request("GET", "/v1/routes", {}, {{"authorization", "bearer s3cret-token"}});
  EXPECT_EQ(answer.status, 200);
}

TEST_F(AdminServerTest, UnreadableTokenFileFailsStart) {
  config::AdminConfig cfg;
  cfg.address = {"127.0.0.1", 0};
  cfg.token_file = "/nonexistent/dir/admin.token";
  AdminServer server(ioc_, state_, cfg);
  try {
    server.start();
    FAIL() << "start() accepted an unreadable token file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/admin.token"), std::string::npos);
  }
  TempFile blank(" \n\t");
  cfg.token_file = blank.path();
  AdminServer blank_server(ioc_, state_, cfg);
  EXPECT_THROW(blank_server.start(), std::runtime_error);
}

TEST_F(AdminServerTest, BindFailureFailsStart) {
  start();
  config::AdminConfig cfg;
  const auto colon = address_.rfind(':');
  cfg.address = {"127.0.0.1", static_cast<std::uint16_t>(std::stoi(address_.substr(colon + 1)))};
  AdminServer second(ioc_, state_, cfg);
  try {
    second.start();
    FAIL() << "a second server bound the same port";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(address_), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace switchyard::proxy::admin
