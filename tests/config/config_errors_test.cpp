// A table of bad configurations and the exact one-line message each must produce.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "tests/config/config_test_util.hpp"

namespace switchyard::config {
namespace {

struct BadConfig {
  std::string name;  // test name suffix
  std::string yaml;
  std::string expected;
};

void PrintTo(const BadConfig& config, std::ostream* out) { *out << config.name; }

const std::string kListeners = "listeners: [{address: 127.0.0.1:8080}]\n";
const std::string kUpstreams = "upstreams: [{name: blue, endpoints: [127.0.0.1:9001]}, {name: green}]\n";
const std::string kSplit =
    "    split: [{version: stable, upstream: blue, weight: 9}, {version: canary, upstream: green, weight: 1}]\n";

// A valid document whose only route gets `route_extra` (keys indented by four spaces).
std::string with_route(const std::string& route_extra) {
  return kListeners + kUpstreams + "routes:\n  - name: shop\n" + kSplit + route_extra;
}

// A valid document whose only route has `split` as its split.
std::string with_split(const std::string& split) {
  return kListeners + kUpstreams + "routes:\n  - name: shop\n    split: " + split + "\n";
}

std::string with_upstreams(const std::string& upstreams) {
  return kListeners + "upstreams: " + upstreams + "\n";
}

std::string with_guard(const std::string& guard) { return with_route("    guard: " + guard + "\n"); }

std::string msg(const std::string& text) { return "proxy.yaml: " + text; }

std::vector<BadConfig> bad_configs() {
  return {
      // Unknown keys, at several levels.
      {"UnknownTopLevelKey", kListeners + "colour: red\n", msg("colour: unknown key")},
      {"UnknownListenerKey", "listeners: [{address: 127.0.0.1:80, tls_on: yes}]\n",
       msg("listeners[0].tls_on: unknown key")},
      {"UnknownTlsKey", "listeners: [{address: 127.0.0.1:80, tls: {cert: a, key: b, ca: c}}]\n",
       msg("listeners[0].tls.ca: unknown key")},
      {"UnknownTimeoutKey", kListeners + "timeouts: {connect: 5}\n", msg("timeouts.connect: unknown key")},
      {"UnknownHealthCheckKey", with_upstreams("[{name: b, health_check: {path: /h, every: 5}}]"),
       msg("upstreams[0].health_check.every: unknown key")},
      {"UnknownSplitKey", with_split("[{version: a, upstream: blue, weight: 1, wieght: 2}]"),
       msg("routes[0].split[0].wieght: unknown key")},
      {"UnknownStickyKey", with_route("    sticky: {cookie: c, colour: red}\n"),
       msg("routes[0].sticky.colour: unknown key")},
      {"UnknownGuardKey", with_guard("{revert_to: stable, max_p50_ms: 5}"),
       msg("routes[0].guard.max_p50_ms: unknown key")},
      {"DuplicateKey", kListeners + "workers: 1\nworkers: 2\n", msg("workers: duplicate key")},
      // Wrong types and shapes.
      {"RootNotAMap", "- a\n- b\n", msg("(top level): must be a map")},
      {"ListenersNotAList", "listeners: {address: 127.0.0.1:80}\n", msg("listeners: must be a list")},
      {"AdminNotAMap", kListeners + "admin: 5\n", msg("admin: must be a map")},
      {"NullSectionIsNotAbsent", kListeners + "admin:\n", msg("admin: must be a map")},
      {"NameNotAString", with_upstreams("[{name: [a, b]}]"), msg("upstreams[0].name: must be a string")},
      {"WorkersNotAnInteger", kListeners + "workers: many\n", msg("workers: must be an integer")},
      {"EndpointsNotAList", with_upstreams("[{name: b, endpoints: 127.0.0.1:80}]"),
       msg("upstreams[0].endpoints: must be a list")},
      {"RoutesNotAList", kListeners + "routes: {}\n", msg("routes: must be a list")},
      {"ErrorRateNotANumber", with_guard("{revert_to: stable, max_error_rate: lots}"),
       msg("routes[0].guard.max_error_rate: must be a number")},
      // YAML syntax.
      {"YamlSyntaxError", "listeners: [\n", msg("line 2 column 1: end of sequence flow not found")},
      {"UnquotedIpv6IsAYamlError", "listeners:\n  - address: [::1]:80\n",
       msg("line 2 column 19: end of map not found")},
      // Listeners and addresses.
      {"ListenersMissing", kUpstreams, msg("listeners: is required")},
      {"ListenersEmpty", "listeners: []\n", msg("listeners: must not be empty")},
      {"ListenerAddressMissing", "listeners: [{tls: {cert: a, key: b}}]\n",
       msg("listeners[0].address: is required")},
      {"AddressIsAHostName", "listeners: [{address: example.com:80}]\n",
       msg("listeners[0].address: must be an IP literal, got 'example.com'")},
      {"AddressPortTooLarge", "listeners: [{address: 127.0.0.1:70000}]\n",
       msg("listeners[0].address: port must be a number 0..65535")},
      {"AddressWithoutPort", "listeners: [{address: 127.0.0.1}]\n", msg("listeners[0].address: must be host:port")},
      {"Ipv6WithoutBrackets", "listeners: [{address: '::1:80'}]\n",
       msg("listeners[0].address: IPv6 address must be in brackets, e.g. [::1]:80")},
      {"DuplicateListenerAddress", "listeners: [{address: '127.0.0.1:80'}, {address: 'localhost:80'}]\n",
       msg("listeners[1].address: duplicate listener address '127.0.0.1:80'")},
      {"TlsKeyMissing", "listeners: [{address: 127.0.0.1:80, tls: {cert: a.pem}}]\n",
       msg("listeners[0].tls.key: is required")},
      {"TlsCertEmpty", "listeners: [{address: 127.0.0.1:80, tls: {cert: '', key: k}}]\n",
       msg("listeners[0].tls.cert: must not be empty")},
      {"AdminAddressWithoutPort", kListeners + "admin: {address: localhost}\n", msg("admin.address: must be host:port")},
      {"AdminSameAsListener", kListeners + "admin: {address: 127.0.0.1:8080}\n",
       msg("admin.address: same address as listeners[0].address")},
      // Numbers and ranges.
      {"WorkersTooMany", kListeners + "workers: 257\n", msg("workers: must be <= 256")},
      {"TimeoutZero", kListeners + "timeouts: {connect_ms: 0}\n", msg("timeouts.connect_ms: must be > 0")},
      {"DrainTimeoutNegative", kListeners + "timeouts: {drain_ms: -5}\n", msg("timeouts.drain_ms: must be > 0")},
      // Upstreams.
      {"UpstreamNameMissing", with_upstreams("[{endpoints: []}]"), msg("upstreams[0].name: is required")},
      {"UpstreamNameBadCharacters", with_upstreams("[{name: shop blue}]"),
       msg("upstreams[0].name: must contain only letters, digits, '.', '_', '-' and '+', got 'shop blue'")},
      {"DuplicateUpstreamName", with_upstreams("[{name: shop-blue}, {name: shop-blue}]"),
       msg("upstreams[1].name: duplicate upstream name 'shop-blue'")},
      {"BadEndpoint", with_upstreams("[{name: b, endpoints: [127.0.0.1:80, nope]}]"),
       msg("upstreams[0].endpoints[1]: must be host:port")},
      {"DuplicateEndpoint", with_upstreams("[{name: b, endpoints: [127.0.0.1:80, 127.0.0.1:80]}]"),
       msg("upstreams[0].endpoints[1]: duplicate endpoint '127.0.0.1:80'")},
      {"HealthPathWithoutSlash", with_upstreams("[{name: b, health_check: {path: healthz}}]"),
       msg("upstreams[0].health_check.path: must start with '/'")},
      {"HealthTimeoutAboveInterval", with_upstreams("[{name: b, health_check: {interval_ms: 100, timeout_ms: 200}}]"),
       msg("upstreams[0].health_check.timeout_ms: must be <= interval_ms (100)")},
      {"HealthyZero", with_upstreams("[{name: b, health_check: {healthy: 0}}]"),
       msg("upstreams[0].health_check.healthy: must be > 0")},
      {"UnknownOutlierKey", with_upstreams("[{name: b, outlier_detection: {interval: 5}}]"),
       msg("upstreams[0].outlier_detection.interval: unknown key")},
      {"OutlierEnabledNotBool", with_upstreams("[{name: b, outlier_detection: {enabled: maybe}}]"),
       msg("upstreams[0].outlier_detection.enabled: must be true or false")},
      {"OutlierFailuresZero", with_upstreams("[{name: b, outlier_detection: {consecutive_failures: 0}}]"),
       msg("upstreams[0].outlier_detection.consecutive_failures: must be > 0")},
      {"OutlierMaxBelowBase",
       with_upstreams("[{name: b, outlier_detection: {base_ejection_ms: 2000, max_ejection_ms: 1000}}]"),
       msg("upstreams[0].outlier_detection.max_ejection_ms: must be >= base_ejection_ms (2000)")},
      {"MaxConnectionsNegative", with_upstreams("[{name: b, max_connections: -1}]"),
       msg("upstreams[0].max_connections: must be >= 0")},
      // Routes and splits.
      {"RouteNameMissing", kListeners + kUpstreams + "routes: [{split: []}]\n", msg("routes[0].name: is required")},
      {"DuplicateRouteName",
       kListeners + kUpstreams + "routes:\n  - name: shop\n" + kSplit + "  - name: shop\n" + kSplit,
       msg("routes[1].name: duplicate route name 'shop'")},
      {"SplitMissing", kListeners + kUpstreams + "routes: [{name: shop}]\n", msg("routes[0].split: is required")},
      {"SplitEmpty", with_split("[]"), msg("routes[0].split: must not be empty")},
      {"NegativeWeight", with_split("[{version: a, upstream: blue, weight: 1}, {version: b, upstream: green, weight: -1}]"),
       msg("routes[0].split[1].weight: must be >= 0")},
      {"FractionalWeight", with_split("[{version: a, upstream: blue, weight: 1}, {version: b, upstream: green, weight: 1.5}]"),
       msg("routes[0].split[1].weight: must be an integer")},
      {"QuotedWeight", with_split("[{version: a, upstream: blue, weight: '5'}]"),
       msg("routes[0].split[0].weight: must be an integer")},
      {"WeightTooLarge", with_split("[{version: a, upstream: blue, weight: 1000001}]"),
       msg("routes[0].split[0].weight: must be <= 1000000")},
      {"WeightOverflowsInt64", with_split("[{version: a, upstream: blue, weight: 99999999999999999999}]"),
       msg("routes[0].split[0].weight: must be <= 1000000")},
      {"WeightsSumToZero", with_split("[{version: a, upstream: blue, weight: 0}, {version: b, upstream: green, weight: 0}]"),
       msg("routes[0].split: weights sum to 0")},
      {"UnknownUpstream", with_split("[{version: a, upstream: nope, weight: 1}]"),
       msg("routes[0].split[0].upstream: unknown upstream 'nope'")},
      {"DuplicateVersion", with_split("[{version: stable, upstream: blue, weight: 1}, {version: stable, upstream: green, weight: 1}]"),
       msg("routes[0].split[1].version: duplicate version 'stable'")},
      {"EmptyVersion", with_split("[{version: '', upstream: blue, weight: 1}]"),
       msg("routes[0].split[0].version: must not be empty")},
      {"PathPrefixWithoutSlash", with_route("    match: {path_prefix: api}\n"),
       msg("routes[0].match.path_prefix: must start with '/'")},
      {"MatchHostWithPort", with_route("    match: {host: 'shop.example.com:8080'}\n"),
       msg("routes[0].match.host: must not include a port")},
      {"MatchHostEmpty", with_route("    match: {host: ''}\n"), msg("routes[0].match.host: must not be empty")},
      // Sticky and override header.
      {"StickyBothKinds", with_route("    sticky: {cookie: c, header: h}\n"),
       msg("routes[0].sticky: must have exactly one of 'cookie' or 'header'")},
      {"StickyNeitherKind", with_route("    sticky: {}\n"),
       msg("routes[0].sticky: must have exactly one of 'cookie' or 'header'")},
      {"StickyBadCookieName", with_route("    sticky: {cookie: 'a=b'}\n"),
       msg("routes[0].sticky.cookie: must be a valid cookie name, got 'a=b'")},
      {"StickyBadHeaderName", with_route("    sticky: {header: 'x user'}\n"),
       msg("routes[0].sticky.header: must be a valid header name, got 'x user'")},
      {"OverrideHeaderBad", with_route("    override_header: 'x:version'\n"),
       msg("routes[0].override_header: must be a valid header name, got 'x:version'")},
      // Guard.
      {"GuardRevertToMissing", with_guard("{window_ms: 1000}"), msg("routes[0].guard.revert_to: is required")},
      {"GuardRevertToUnknown", with_guard("{revert_to: old}"), msg("routes[0].guard.revert_to: unknown version 'old'")},
      {"GuardWindowTooShort", with_guard("{revert_to: stable, window_ms: 50}"),
       msg("routes[0].guard.window_ms: must be >= 100")},
      {"GuardMinRequestsZero", with_guard("{revert_to: stable, min_requests: 0}"),
       msg("routes[0].guard.min_requests: must be > 0")},
      {"GuardErrorRateAboveOne", with_guard("{revert_to: stable, max_error_rate: 1.5}"),
       msg("routes[0].guard.max_error_rate: must be between 0 and 1")},
      {"GuardErrorRateNegative", with_guard("{revert_to: stable, max_error_rate: -0.1}"),
       msg("routes[0].guard.max_error_rate: must be between 0 and 1")},
      {"GuardP99Negative", with_guard("{revert_to: stable, max_p99_ms: -1}"),
       msg("routes[0].guard.max_p99_ms: must be >= 0")},
  };
}

class ConfigErrorsTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(ConfigErrorsTest, RefusedWithExactMessage) {
  EXPECT_EQ(test::error_of(GetParam().yaml), GetParam().expected) << "YAML:\n" << GetParam().yaml;
}

INSTANTIATE_TEST_SUITE_P(Table, ConfigErrorsTest, ::testing::ValuesIn(bad_configs()),
                         [](const auto& info) { return info.param.name; });

// The table's documents differ from a valid one only in the broken part: prove the bases are valid.
TEST(ConfigErrorsBaseTest, BaseDocumentsAreValid) {
  EXPECT_EQ(test::error_of(with_route("")), "<valid>");
  EXPECT_EQ(test::error_of(with_guard("{revert_to: stable, max_error_rate: 1, max_p99_ms: 250}")), "<valid>");
  EXPECT_EQ(test::error_of(with_route("    sticky: {header: x-user}\n    match: {host: '[::1]', path_prefix: /api}\n")),
            "<valid>");
  EXPECT_EQ(test::error_of(with_upstreams("[{name: b.1_x-Y, endpoints: [], health_check: {interval_ms: 100, timeout_ms: 100}}]")),
            "<valid>");
}

}  // namespace
}  // namespace switchyard::config
