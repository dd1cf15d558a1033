// The loader on valid input: the SPEC §2 example, defaults, normalisation and file handling.
#include "config/load_proxy_config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/config/config_test_util.hpp"

namespace switchyard::config {
namespace {

using test::error_of;
using test::parse_ok;

// SPEC §2, verbatim.
constexpr const char* kSpecExample = R"(
listeners:
  - address: 0.0.0.0:8080            # host:port, IPv4 or [IPv6]
  - address: 0.0.0.0:8443
    tls: { cert: server.pem, key: server.key }   # optional: TLS termination
admin:
  address: 127.0.0.1:9901
  token_file: admin.token            # optional
workers: 0                           # worker threads; 0 = one per core
timeouts: { connect_ms: 1000, request_ms: 30000, idle_ms: 60000 }
upstreams:
  - name: shop-blue
    endpoints: [127.0.0.1:18081, 127.0.0.1:18083]
    health_check: { path: /healthz, interval_ms: 1000, timeout_ms: 500, healthy: 2, unhealthy: 3 }
  - name: shop-green
    endpoints: [127.0.0.1:18082]
routes:                              # first match wins; match keys are optional
  - name: shop
    match: { host: shop.example.com, path_prefix: / }
    split:                           # the traffic split: versions and their weights
      - { version: stable, upstream: shop-blue, weight: 95 }
      - { version: canary, upstream: shop-green, weight: 5 }
    sticky: { cookie: sy_cohort }    # or { header: x-user-id }; absent = chosen per request
    override_header: x-switchyard-version   # a request header naming a version pins it
    guard:                           # optional: inline automatic revert
      revert_to: stable
      window_ms: 10000
      min_requests: 20
      max_error_rate: 0.05
      max_p99_ms: 0                  # 0 = off
)";

constexpr const char* kMinimal = "listeners: [{address: 127.0.0.1:8080}]\n";

TEST(LoadProxyConfigTest, SpecExampleParsesIntoTypedStructs) {
  const ProxyConfig config = parse_ok(kSpecExample);
  ASSERT_EQ(config.listeners.size(), 2u);
  EXPECT_EQ(config.listeners[0].address, (HostPort{"0.0.0.0", 8080}));
  EXPECT_FALSE(config.listeners[0].tls.has_value());
  EXPECT_EQ(config.listeners[1].address, (HostPort{"0.0.0.0", 8443}));
  ASSERT_TRUE(config.listeners[1].tls.has_value());
  EXPECT_EQ(*config.listeners[1].tls, (TlsConfig{"server.pem", "server.key", {}}))
      << "parse_proxy_config has no directory to resolve against";
  EXPECT_EQ(config.admin.address, (HostPort{"127.0.0.1", 9901}));
  EXPECT_EQ(config.admin.token_file, "admin.token");
  EXPECT_EQ(config.workers, 0u);
  EXPECT_EQ(config.timeouts, (Timeouts{1000, 30000, 60000, 10000}));

  ASSERT_EQ(config.upstreams.size(), 2u);
  EXPECT_EQ(config.upstreams[0].name, "shop-blue");
  EXPECT_EQ(config.upstreams[0].endpoints,
            (std::vector<HostPort>{{"127.0.0.1", 18081}, {"127.0.0.1", 18083}}));
  ASSERT_TRUE(config.upstreams[0].health_check.has_value());
  EXPECT_EQ(*config.upstreams[0].health_check, (HealthCheckConfig{"/healthz", 1000, 500, 2, 3}));
  EXPECT_EQ(config.upstreams[1].name, "shop-green");
  EXPECT_FALSE(config.upstreams[1].health_check.has_value());

  ASSERT_EQ(config.routes.size(), 1u);
  const RouteConfig& route = config.routes[0];
  EXPECT_EQ(route.name, "shop");
  EXPECT_EQ(route.match, (MatchConfig{"shop.example.com", "/"}));
  EXPECT_EQ(route.split, (std::vector<SplitEntry>{{"stable", "shop-blue", 95}, {"canary", "shop-green", 5}}));
  EXPECT_EQ(route.sticky, (StickyConfig{StickyConfig::Kind::cookie, "sy_cohort"}));
  EXPECT_EQ(route.override_header, "x-switchyard-version");
  ASSERT_TRUE(route.guard.has_value());
  EXPECT_EQ(route.guard->revert_to, "stable");
  EXPECT_EQ(route.guard->window_ms, 10000u);
  EXPECT_EQ(route.guard->min_requests, 20u);
  EXPECT_DOUBLE_EQ(route.guard->max_error_rate, 0.05);
  EXPECT_EQ(route.guard->max_p99_ms, 0u);
}

TEST(LoadProxyConfigTest, MinimalConfigGetsDefaults) {
  const ProxyConfig config = parse_ok(kMinimal);
  ProxyConfig expected;
  expected.listeners = {ListenerConfig{{"127.0.0.1", 8080}, std::nullopt}};
  EXPECT_EQ(config, expected);
  EXPECT_EQ(config.admin.address, (HostPort{"127.0.0.1", 9901}));
  EXPECT_TRUE(config.routes.empty()) << "no routes is allowed: every request gets 404";
}

TEST(LoadProxyConfigTest, NormalisesHeaderNamesHostsAndAddresses) {
  const ProxyConfig config = parse_ok(R"(
listeners: [{address: "[::1]:0"}, {address: "localhost:0"}]
admin: {address: "[::]:9901", token_file: admin.token}  # a wildcard admin address needs a token
upstreams: [{name: u, endpoints: [], health_check: {}}]
routes:
  - name: r
    match: {host: Shop.Example.COM}
    split: [{version: a, upstream: u, weight: 1}]
    sticky: {header: X-User-Id}
    override_header: X-Version
    guard: {revert_to: a}
)");
  ASSERT_EQ(config.listeners.size(), 2u) << "two port-0 listeners do not collide";
  EXPECT_EQ(config.listeners[0].address, (HostPort{"::1", 0}));
  EXPECT_EQ(config.listeners[1].address, (HostPort{"127.0.0.1", 0}));
  EXPECT_EQ(config.admin.address.to_string(), "[::]:9901");
  ASSERT_EQ(config.routes.size(), 1u);
  const RouteConfig& route = config.routes[0];
  EXPECT_EQ(route.match.host, "shop.example.com");
  EXPECT_EQ(route.match.path_prefix, "/");
  EXPECT_EQ(route.sticky, (StickyConfig{StickyConfig::Kind::header, "x-user-id"}));
  EXPECT_EQ(route.override_header, "x-version");
  EXPECT_EQ(config.upstreams[0].health_check, HealthCheckConfig{});
  EXPECT_EQ(route.guard->window_ms, GuardConfig{}.window_ms);
  EXPECT_DOUBLE_EQ(route.guard->max_error_rate, 0.05);
}

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sy_config_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

TEST(LoadProxyConfigFileTest, ResolvesRelativeTlsAndTokenPathsAgainstTheFilesDirectory) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string file = dir.write("proxy.yaml", R"(
listeners:
  - address: 127.0.0.1:0
    tls: {cert: certs/server.pem, key: /etc/keys/server.key}
admin: {address: 127.0.0.1:0, token_file: admin.token}
)");
  auto result = load_proxy_config_file(file);
  ASSERT_TRUE(std::holds_alternative<ProxyConfig>(result)) << std::get<ConfigError>(result).message;
  const auto& config = std::get<ProxyConfig>(result);
  ASSERT_TRUE(config.listeners[0].tls.has_value());
  EXPECT_EQ(config.listeners[0].tls->cert, (dir.path() / "certs/server.pem").string());
  EXPECT_EQ(config.listeners[0].tls->key, "/etc/keys/server.key") << "absolute paths stay";
  EXPECT_EQ(config.admin.token_file, (dir.path() / "admin.token").string());
}

TEST(LoadProxyConfigFileTest, ErrorsNameTheFileAsGiven) {
  TempDir dir;
  const std::string file = dir.write("bad.yaml", "listeners: [{address: 127.0.0.1:8080}]\nworkers: -1\n");
  auto result = load_proxy_config_file(file);
  ASSERT_TRUE(std::holds_alternative<ConfigError>(result));
  EXPECT_EQ(std::get<ConfigError>(result).message, file + ": workers: must be >= 0");
}

TEST(LoadProxyConfigFileTest, MissingFileSaysCannotRead) {
  TempDir dir;
  const std::string file = (dir.path() / "absent.yaml").string();
  auto result = load_proxy_config_file(file);
  ASSERT_TRUE(std::holds_alternative<ConfigError>(result));
  EXPECT_EQ(std::get<ConfigError>(result).message, file + ": cannot read: No such file or directory");
}

TEST(LoadProxyConfigFileTest, DirectoryIsNotReadable) {
  TempDir dir;
  auto result = load_proxy_config_file(dir.path().string());
  ASSERT_TRUE(std::holds_alternative<ConfigError>(result));
  EXPECT_EQ(std::get<ConfigError>(result).message,
            dir.path().string() + ": cannot read: Is a directory");
}

TEST(LoadProxyConfigTest, EmptyTextNamesTheFirstMissingKey) {
  EXPECT_EQ(error_of(""), "proxy.yaml: listeners: is required");
  EXPECT_EQ(error_of("# only a comment\n"), "proxy.yaml: listeners: is required");
}

}  // namespace
}  // namespace switchyard::config
