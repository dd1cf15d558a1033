// switchyard-demo-backend, exercised as a real process over real sockets.
#include "tests/support/child_process.hpp"
#include "tests/support/demo_backend.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/rss.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <regex>

namespace switchyard::test {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

json::object parse_object(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << text;
    return {};
  }
  return value.as_object();
}

class DemoBackendTest : public ::testing::Test {
 protected:
  DemoBackend backend_{"blue"};
  HttpClient client_{"127.0.0.1", backend_.port()};

  void SetUp() override { ASSERT_TRUE(backend_.ok()) << backend_.process().output(); }
};

TEST_F(DemoBackendTest, CatchAllBodyAndHeaderNameTheBackend) {
  HttpResponse response = client_.request("GET", "/some/path?x=1");
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "blue\n");
  EXPECT_EQ(response.headers["x-backend"], "blue");
  EXPECT_EQ(response.headers["content-length"], "5");
  EXPECT_EQ(client_.request("DELETE", "/").body, "blue\n");
}

TEST_F(DemoBackendTest, HealthzAnswersOk) {
  HttpResponse response = client_.request("GET", "/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok\n");
}

TEST_F(DemoBackendTest, ErrorRateOneFailsCatchAllButNotHealthz) {
  HttpResponse put = client_.request("PUT", "/admin/faults", R"({"error_rate":1})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(parse_object(put.body).at("error_rate").to_number<double>(), 1.0);
  for (int i = 0; i < 5; ++i) {
    HttpResponse failed = client_.request("GET", "/");
    EXPECT_EQ(failed.status, 500);
    EXPECT_EQ(failed.body, "blue error\n");
  }
  EXPECT_EQ(client_.request("GET", "/echo").status, 500);
  EXPECT_EQ(client_.request("GET", "/healthz").status, 200);
  EXPECT_EQ(client_.request("GET", "/bytes?n=3").status, 200);
  json::object now = parse_object(client_.request("GET", "/admin/faults").body);
  EXPECT_EQ(now.at("error_rate").to_number<double>(), 1.0);
  EXPECT_EQ(now.at("latency_ms").to_number<long>(), 0);

  ASSERT_EQ(client_.request("PUT", "/admin/faults", R"({"error_rate":0})").status, 200);
  EXPECT_EQ(client_.request("GET", "/").status, 200);
}

TEST(DemoBackendFlags, ErrorRateFlagAppliesFromStart) {
  DemoBackend backend("red", {"--error-rate", "1"});
  ASSERT_TRUE(backend.ok());
  HttpResponse response = http_request("127.0.0.1", backend.port(), "GET", "/");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, "red error\n");
}

TEST_F(DemoBackendTest, BadFaultsBodyIsRefusedNamingTheField) {
  HttpResponse rate = client_.request("PUT", "/admin/faults", R"({"error_rate":1.5})");
  EXPECT_EQ(rate.status, 400);
  EXPECT_NE(parse_object(rate.body)["error"].as_string().find("error_rate"), json::string::npos);

  HttpResponse latency = client_.request("PUT", "/admin/faults", R"({"latency_ms":-3})");
  EXPECT_EQ(latency.status, 400);
  EXPECT_NE(latency.body.find("latency_ms"), std::string::npos) << latency.body;

  HttpResponse wrong_type = client_.request("PUT", "/admin/faults", R"({"latency_ms":"50"})");
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_NE(wrong_type.body.find("latency_ms"), std::string::npos) << wrong_type.body;

  HttpResponse not_json = client_.request("PUT", "/admin/faults", "{nope");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_NE(not_json.body.find("error"), std::string::npos);

  // A refused update changes nothing, not even its valid half.
  EXPECT_EQ(client_.request("PUT", "/admin/faults", R"({"error_rate":1,"latency_ms":-1})").status, 400);
  EXPECT_EQ(client_.request("GET", "/").status, 200);
}

TEST_F(DemoBackendTest, LatencyDelaysCatchAllButNotHealthz) {
  constexpr auto kLatency = milliseconds(300);
  ASSERT_EQ(client_.request("PUT", "/admin/faults", R"({"latency_ms":300})").status, 200);
  auto start = std::chrono::steady_clock::now();
  HttpResponse response = client_.request("GET", "/");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.status, 200);
  EXPECT_GE(elapsed, kLatency);

  start = std::chrono::steady_clock::now();
  EXPECT_EQ(client_.request("GET", "/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, kLatency);
}

TEST_F(DemoBackendTest, StatsCountAcceptsAndRequestsOverKeepAlive) {
  EXPECT_EQ(client_.request("GET", "/a").status, 200);
  EXPECT_EQ(client_.request("GET", "/b").status, 200);
  json::object stats = parse_object(client_.request("GET", "/admin/stats").body);
  EXPECT_EQ(stats.at("name").as_string(), "blue");
  EXPECT_EQ(stats.at("accepts").to_number<int>(), 1);
  EXPECT_EQ(stats.at("requests").to_number<int>(), 2);  // answers completed before this one
  EXPECT_EQ(client_.connects(), 1);

  // A second connection is a second accept.
  EXPECT_EQ(http_request("127.0.0.1", backend_.port(), "GET", "/").status, 200);
  stats = parse_object(client_.request("GET", "/admin/stats").body);
  EXPECT_EQ(stats.at("accepts").to_number<int>(), 2);
  EXPECT_EQ(stats.at("requests").to_number<int>(), 4);
}

TEST_F(DemoBackendTest, ConnectionCloseIsHonoured) {
  HttpResponse response = client_.request("GET", "/", "", {{"Connection", "close"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers["connection"], "close");
  EXPECT_FALSE(client_.connected());
  EXPECT_EQ(client_.request("GET", "/").status, 200);
  EXPECT_EQ(client_.connects(), 2);
}

TEST_F(DemoBackendTest, BytesDownloadIsExactWithContentLengthAndChunked) {
  constexpr std::uint64_t kSize = 10'000'000;
  DownloadResult plain = client_.download("/bytes?n=10000000");
  ASSERT_TRUE(plain.ok()) << plain.error;
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.bytes, kSize);
  EXPECT_EQ(plain.checksum, pattern_checksum(kSize));
  EXPECT_EQ(plain.headers["content-length"], "10000000");

  DownloadResult chunked = client_.download("/bytes?n=10000001&chunked=1");
  ASSERT_TRUE(chunked.ok()) << chunked.error;
  EXPECT_EQ(chunked.bytes, kSize + 1);
  EXPECT_EQ(chunked.checksum, pattern_checksum(kSize + 1));
  EXPECT_EQ(chunked.headers["transfer-encoding"], "chunked");

  EXPECT_EQ(client_.request("GET", "/bytes?n=abc").status, 400);
  EXPECT_EQ(client_.request("GET", "/bytes?n=1099511627777").status, 400);
  EXPECT_EQ(client_.connects(), 1);  // all of it over one keep-alive connection
}

TEST_F(DemoBackendTest, UploadIsCountedExactlyInBoundedMemory) {
  constexpr std::uint64_t kSize = 50'000'000;
  for (bool chunked : {false, true}) {
    HttpResponse response = client_.upload("/upload", kSize, chunked);
    ASSERT_TRUE(response.ok()) << response.error;
    ASSERT_EQ(response.status, 200) << response.body;
    json::object result = parse_object(response.body);
    EXPECT_EQ(result.at("name").as_string(), "blue");
    EXPECT_EQ(result.at("bytes").to_number<std::uint64_t>(), kSize) << "chunked=" << chunked;
    EXPECT_EQ(result.at("checksum").to_number<std::uint32_t>(), pattern_checksum(kSize));
  }
  // 100 MB went through; a backend that buffered bodies would have grown by at least 50 MB.
  auto peak = peak_rss_kib(backend_.process().pid());
  ASSERT_TRUE(peak.has_value());
#ifndef SWITCHYARD_SANITIZED_BUILD  // sanitizer builds quarantine freed memory: RSS says nothing there
  EXPECT_LT(*peak, 40 * 1024);
#endif
}

TEST_F(DemoBackendTest, EchoShowsRequestDetails) {
  HttpResponse response = client_.request("POST", "/echo?q=1", "hello",
                                          {{"X-Custom", "one"}, {"x-custom", "two"}});
  ASSERT_EQ(response.status, 200) << response.error;
  json::object echo = parse_object(response.body);
  EXPECT_EQ(echo.at("name").as_string(), "blue");
  EXPECT_EQ(echo.at("method").as_string(), "POST");
  EXPECT_EQ(echo.at("target").as_string(), "/echo?q=1");
  EXPECT_EQ(echo.at("body_bytes").to_number<int>(), 5);
  EXPECT_EQ(echo.at("headers").as_object().at("x-custom").as_string(), "one, two");
}

TEST(DemoBackendFlags, SeveralThreadsShareOnePort) {
  DemoBackend backend("green", {"--threads", "2"});
  ASSERT_TRUE(backend.ok());
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(http_request("127.0.0.1", backend.port(), "GET", "/").body, "green\n");
  }
  HttpClient client("127.0.0.1", backend.port());
  json::object stats = parse_object(client.request("GET", "/admin/stats").body);
  EXPECT_EQ(stats.at("accepts").to_number<int>(), 9);
}

TEST(DemoBackendFlags, BadFlagExitsWithTwoAndOneLine) {
  ChildProcess child(bin_path("switchyard-demo-backend"), {"--bad-flag"});
  ASSERT_TRUE(child.started());
  EXPECT_EQ(child.wait_exit(), 2);
  std::string output = child.output();
  EXPECT_NE(output.find("--bad-flag"), std::string::npos) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;

  ChildProcess bad_value(bin_path("switchyard-demo-backend"), {"--error-rate", "2"});
  EXPECT_EQ(bad_value.wait_exit(), 2);
  EXPECT_NE(bad_value.output().find("--error-rate"), std::string::npos);
}

TEST(DemoBackendFlags, VersionAndHelpExitZero) {
  ChildProcess version(bin_path("switchyard-demo-backend"), {"--version"});
  EXPECT_EQ(version.wait_exit(), 0);
  EXPECT_TRUE(version.wait_for_line(std::regex(R"(^switchyard-demo-backend [0-9]+\.[0-9]+)")));
  ChildProcess help(bin_path("switchyard-demo-backend"), {"--help"});
  EXPECT_EQ(help.wait_exit(), 0);
  EXPECT_TRUE(help.wait_for_line(std::regex("--latency-ms")));
}

TEST(DemoBackendFlags, SigtermAndSigintExitZero) {
  for (int signo : {SIGTERM, SIGINT}) {
    DemoBackend backend("blue");
    ASSERT_TRUE(backend.ok());
    HttpClient client("127.0.0.1", backend.port());
    EXPECT_EQ(client.request("GET", "/").status, 200);  // an open keep-alive connection
    backend.process().signal(signo);
    EXPECT_EQ(backend.process().wait_exit(), 0) << "signal " << signo;
  }
}

}  // namespace
}  // namespace switchyard::test
