// Reloads, events, the admin address rule and --log-level with the real switchyard-proxy binary.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "tests/integration/proxy_test_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace json = boost::json;

namespace switchyard::test {
namespace {

json::value admin_get(const ProxyProcess& proxy, const std::string& target) {
  const auto response = http_request("127.0.0.1", proxy.admin_port(), "GET", target);
  EXPECT_EQ(response.status, 200) << target << ": " << response.body;
  boost::system::error_code ec;
  auto value = json::parse(response.body, ec);
  return ec ? json::value{} : value;
}

std::string config_hash(const ProxyProcess& proxy) {
  const auto body = admin_get(proxy, "/v1/config");
  return body.is_object() ? std::string(body.at("hash").as_string()) : std::string{};
}

// Long-polls (bounded) for the first event after `since`; null if none came.
json::value next_event(const ProxyProcess& proxy, std::uint64_t since) {
  const auto body =
      admin_get(proxy, "/v1/events?since=" + std::to_string(since) + "&wait_ms=5000");
  if (!body.is_object() || body.at("events").as_array().empty()) return nullptr;
  return body.at("events").at(0);
}

std::uint64_t last_seq(const ProxyProcess& proxy) {
  const auto body = admin_get(proxy, "/v1/events");
  return body.is_object() ? body.at("next").to_number<std::uint64_t>() : 0;
}

TEST(ProxyReload, SighupAppliesAGoodFile) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  EXPECT_EQ(answered_by(client.request("GET", "/")), "blue");
  const auto before = config_hash(proxy);
  const auto seq = last_seq(proxy);

  std::ofstream(proxy.config_path()) << two_version_config(blue, green, 0, 100);
  proxy.process().signal(SIGHUP);
  const auto event = next_event(proxy, seq);
  ASSERT_TRUE(event.is_object()) << proxy.process().output();
  EXPECT_EQ(event.at("kind"), "config_reloaded");
  EXPECT_EQ(event.at("by"), "SIGHUP");
  EXPECT_EQ(event.at("restart_required"), json::array{});

  const auto after = config_hash(proxy);
  EXPECT_NE(after, before);
  EXPECT_EQ(event.at("hash"), json::value(after));
  // The same keep-alive connection sees the new configuration on its next request.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(answered_by(client.request("GET", "/")), "green");
  EXPECT_TRUE(proxy.process().wait_for_line(std::regex(".*config reload applied from .*")));
}

TEST(ProxyReload, SighupWithABadFileKeepsTheRunningConfiguration) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0));
  ASSERT_TRUE(proxy.ok());
  const auto before = config_hash(proxy);
  const auto seq = last_seq(proxy);

  std::ofstream(proxy.config_path()) << two_version_config(blue, green, 100, -3);
  proxy.process().signal(SIGHUP);
  const auto event = next_event(proxy, seq);
  ASSERT_TRUE(event.is_object()) << proxy.process().output();
  EXPECT_EQ(event.at("kind"), "config_rejected");
  EXPECT_EQ(event.at("error"),
            json::value(proxy.config_path() + ": routes[0].split[1].weight: must be >= 0"));
  EXPECT_TRUE(proxy.process().wait_for_line(
      std::regex(".*config reload rejected.*routes\\[0\\]\\.split\\[1\\]\\.weight: must be >= 0$")));

  EXPECT_EQ(config_hash(proxy), before);
  HttpClient client("127.0.0.1", proxy.port());
  EXPECT_EQ(answered_by(client.request("GET", "/")), "blue") << "still serving the old split";
  EXPECT_FALSE(proxy.process().wait_exit(std::chrono::milliseconds(0)).has_value());
}

TEST(ProxyReload, ReloadsUnderLoadFailNoRequest) {
  DemoBackend blue("blue"), green("green");
  ProxyProcess proxy(two_version_config(blue, green, 100, 0));
  ASSERT_TRUE(proxy.ok());
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 3; ++t) {
    clients.emplace_back([&] {
      HttpClient client("127.0.0.1", proxy.port());
      while (!stop.load()) {
        auto response = client.request("GET", "/");
        (response.ok() && response.status == 200 ? ok : failed)++;
      }
    });
  }
  for (int i = 0; i < 10; ++i) {
    const auto seq = last_seq(proxy);
    std::ofstream(proxy.config_path()) << two_version_config(blue, green, i % 2 ? 100 : 0,
                                                             i % 2 ? 0 : 100);
    const auto answer = http_request("127.0.0.1", proxy.admin_port(), "POST", "/v1/config/reload");
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_TRUE(next_event(proxy, seq).is_object());
  }
  stop = true;
  for (auto& thread : clients) thread.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(failed.load(), 0);
}

TEST(ProxyReload, NonLoopbackAdminWithoutTokenIsRefusedAtStart) {
  TempDir dir;
  const auto path = dir.write_file(
      "proxy.yaml", "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 0.0.0.0:0\n");
  ChildProcess proxy(bin_path("switchyard-proxy"), {"--config", path});
  ASSERT_EQ(proxy.wait_exit(), 2);
  EXPECT_EQ(proxy.output(), path + ": admin.address: '0.0.0.0:0' is not a loopback address: set "
                                   "admin.token_file or bind 127.0.0.1 / [::1]\n");
}

// SPEC §1: a bad configuration exits 2 naming the key — the token file included, and --check
// finds it too (it used to pass --check and fail at start-up with exit 1).
TEST(ProxyReload, MissingOrEmptyAdminTokenFileIsAConfigError) {
  TempDir dir;
  const auto missing = dir.path() + "/missing.token";
  const auto empty = dir.write_file("empty.token", " \n");
  for (const auto& [token, message] : {std::pair{missing, "cannot read '" + missing + "'"},
                                       std::pair{empty, "'" + empty + "' is empty"}}) {
    const auto path = dir.write_file("proxy.yaml", "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n"
                                                   "  token_file: " + token + "\n");
    for (bool check : {true, false}) {
      std::vector<std::string> args{"--config", path};
      if (check) args.push_back("--check");
      ChildProcess proxy(bin_path("switchyard-proxy"), args);
      EXPECT_EQ(proxy.wait_exit(), 2) << proxy.output();
      EXPECT_EQ(proxy.output(), path + ": admin.token_file: " + message + "\n");
    }
  }
}

TEST(ProxyReload, LogLevelIsCheckedAndApplied) {
  TempDir dir;
  const auto path = dir.write_file(
      "proxy.yaml", "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n");
  {
    ChildProcess bad(bin_path("switchyard-proxy"), {"--config", path, "--log-level", "loud"});
    EXPECT_EQ(bad.wait_exit(), 2);
    EXPECT_NE(bad.output().find("--log-level: unknown level 'loud'"), std::string::npos)
        << bad.output();
  }
  {
    ChildProcess info(bin_path("switchyard-proxy"), {"--config", path});
    ASSERT_TRUE(info.wait_for_line(std::regex("^switchyard-proxy admin on .*")));
    EXPECT_NE(info.output().find(" info switchyard-proxy "), std::string::npos) << info.output();
  }
  ChildProcess quiet(bin_path("switchyard-proxy"), {"--config", path, "--log-level=warn"});
  ASSERT_TRUE(quiet.wait_for_line(std::regex("^switchyard-proxy admin on .*")));
  EXPECT_EQ(quiet.output().find(" info "), std::string::npos) << quiet.output();
}

}  // namespace
}  // namespace switchyard::test
