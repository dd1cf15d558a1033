// Decoding of each SPEC §2 section. Each function owns one map: it names the keys that map
// may hold, so an unknown key anywhere is refused (a typo must not silently change routing).
#include "config/decode_proxy_config.hpp"

#include <algorithm>
#include <cctype>

namespace switchyard::config {
namespace {

using rules::kAnyU32;
using rules::kPositiveU32;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Reads `key` into `out` when present; `out` keeps its default otherwise.
void read_u32(const YamlReader& map, std::string_view key, rules::Range range, std::uint32_t& out) {
  if (auto child = map.optional(key)) out = child->u32(range);
}

void read_string(const YamlReader& map, std::string_view key, std::string& out) {
  if (auto child = map.optional(key)) out = child->string();
}

std::string non_empty_string(const YamlReader& node) {
  std::string text = node.string();
  if (text.empty()) node.fail("must not be empty");
  return text;
}

TlsCertificate decode_certificate(const YamlReader& node) {
  node.expect_map({"cert", "key"});
  return TlsCertificate{non_empty_string(node.required("cert")), non_empty_string(node.required("key"))};
}

TlsConfig decode_tls(const YamlReader& node) {
  node.expect_map({"cert", "key", "certificates"});
  TlsConfig tls;
  if (auto list = node.optional("certificates")) {
    if (node.has("cert") || node.has("key")) node.fail("has either 'cert'/'key' or 'certificates', not both");
    for (const auto& entry : list->list()) tls.certificates.push_back(decode_certificate(entry));
    if (tls.certificates.empty()) list->fail("must not be empty");
    return tls;
  }
  auto single = decode_certificate(node);
  tls.cert = std::move(single.cert);
  tls.key = std::move(single.key);
  return tls;
}

ListenerConfig decode_listener(const YamlReader& node) {
  node.expect_map({"address", "tls", "max_connections"});
  ListenerConfig listener;
  listener.address = node.required("address").address();
  if (auto tls = node.optional("tls")) listener.tls = decode_tls(*tls);
  read_u32(node, "max_connections", kAnyU32, listener.max_connections);
  return listener;
}

AdminConfig decode_admin(const YamlReader& node) {
  node.expect_map({"address", "token_file"});
  AdminConfig admin;
  if (auto address = node.optional("address")) admin.address = address->address();
  if (auto token = node.optional("token_file")) admin.token_file = non_empty_string(*token);
  return admin;
}

Timeouts decode_timeouts(const YamlReader& node) {
  node.expect_map({"connect_ms", "request_ms", "idle_ms", "drain_ms"});
  Timeouts timeouts;
  read_u32(node, "connect_ms", kPositiveU32, timeouts.connect_ms);
  read_u32(node, "request_ms", kPositiveU32, timeouts.request_ms);
  read_u32(node, "idle_ms", kPositiveU32, timeouts.idle_ms);
  read_u32(node, "drain_ms", kPositiveU32, timeouts.drain_ms);
  return timeouts;
}

LimitsConfig decode_limits(const YamlReader& node) {
  node.expect_map({"max_header_bytes", "max_headers", "max_request_line_bytes", "max_body_bytes",
                   "header_timeout_ms"});
  LimitsConfig limits;
  read_u32(node, "max_header_bytes", rules::kMaxHeaderBytes, limits.max_header_bytes);
  read_u32(node, "max_headers", rules::kMaxHeaders, limits.max_headers);
  read_u32(node, "max_request_line_bytes", rules::kMaxRequestLineBytes, limits.max_request_line_bytes);
  // A u32 of KiB would be surprising: the body bound is in bytes, up to 4 GiB - 1 (0 = unlimited).
  if (auto body = node.optional("max_body_bytes")) limits.max_body_bytes = body->u32(kAnyU32);
  read_u32(node, "header_timeout_ms", kPositiveU32, limits.header_timeout_ms);
  return limits;
}

HealthCheckConfig decode_health_check(const YamlReader& node) {
  node.expect_map({"path", "interval_ms", "timeout_ms", "healthy", "unhealthy"});
  HealthCheckConfig check;
  read_string(node, "path", check.path);
  read_u32(node, "interval_ms", kPositiveU32, check.interval_ms);
  read_u32(node, "timeout_ms", kPositiveU32, check.timeout_ms);
  read_u32(node, "healthy", kPositiveU32, check.healthy);
  read_u32(node, "unhealthy", kPositiveU32, check.unhealthy);
  return check;
}

bool decode_bool(const YamlReader& node) {
  const std::string text = node.string();
  if (text == "true") return true;
  if (text == "false") return false;
  node.fail("must be true or false");
}

OutlierDetectionConfig decode_outlier_detection(const YamlReader& node) {
  node.expect_map({"enabled", "consecutive_failures", "base_ejection_ms", "max_ejection_ms"});
  OutlierDetectionConfig outlier;
  if (auto enabled = node.optional("enabled")) outlier.enabled = decode_bool(*enabled);
  read_u32(node, "consecutive_failures", kPositiveU32, outlier.consecutive_failures);
  read_u32(node, "base_ejection_ms", kPositiveU32, outlier.base_ejection_ms);
  read_u32(node, "max_ejection_ms", kPositiveU32, outlier.max_ejection_ms);
  return outlier;
}

UpstreamConfig decode_upstream(const YamlReader& node) {
  node.expect_map({"name", "endpoints", "health_check", "outlier_detection", "max_connections", "max_pending",
                   "max_requests"});
  UpstreamConfig upstream;
  upstream.name = node.required("name").string();
  if (auto endpoints = node.optional("endpoints")) {
    for (const auto& endpoint : endpoints->list()) upstream.endpoints.push_back(endpoint.address());
  }
  if (auto check = node.optional("health_check")) upstream.health_check = decode_health_check(*check);
  if (auto outlier = node.optional("outlier_detection")) upstream.outlier_detection = decode_outlier_detection(*outlier);
  read_u32(node, "max_connections", kAnyU32, upstream.max_connections);
  read_u32(node, "max_pending", kAnyU32, upstream.max_pending);
  read_u32(node, "max_requests", kAnyU32, upstream.max_requests);
  return upstream;
}

SplitEntry decode_split_entry(const YamlReader& node) {
  node.expect_map({"version", "upstream", "weight"});
  SplitEntry entry;
  entry.version = node.required("version").string();
  entry.upstream = node.required("upstream").string();
  entry.weight = node.required("weight").u32(rules::kWeight);
  return entry;
}

MatchConfig decode_match(const YamlReader& node) {
  node.expect_map({"host", "path_prefix"});
  MatchConfig match;
  // Host names compare case-insensitively; an empty host would read as "any host" by accident.
  if (auto host = node.optional("host")) match.host = lower(non_empty_string(*host));
  read_string(node, "path_prefix", match.path_prefix);
  return match;
}

StickyConfig decode_sticky(const YamlReader& node) {
  node.expect_map({"cookie", "header"});
  if (node.has("cookie") == node.has("header")) node.fail("must have exactly one of 'cookie' or 'header'");
  if (auto cookie = node.optional("cookie")) {
    return StickyConfig{StickyConfig::Kind::cookie, cookie->string()};
  }
  return StickyConfig{StickyConfig::Kind::header, lower(node.required("header").string())};
}

GuardConfig decode_guard(const YamlReader& node) {
  node.expect_map({"revert_to", "window_ms", "min_requests", "max_error_rate", "max_p99_ms"});
  GuardConfig guard;
  guard.revert_to = node.required("revert_to").string();
  read_u32(node, "window_ms", rules::kGuardWindowMs, guard.window_ms);
  read_u32(node, "min_requests", kPositiveU32, guard.min_requests);
  if (auto rate = node.optional("max_error_rate")) guard.max_error_rate = rate->number();
  read_u32(node, "max_p99_ms", kAnyU32, guard.max_p99_ms);
  return guard;
}

RouteConfig decode_route(const YamlReader& node) {
  node.expect_map({"name", "match", "split", "sticky", "override_header", "guard"});
  RouteConfig route;
  route.name = node.required("name").string();
  if (auto match = node.optional("match")) route.match = decode_match(*match);
  for (const auto& entry : node.required("split").list()) route.split.push_back(decode_split_entry(entry));
  if (auto sticky = node.optional("sticky")) route.sticky = decode_sticky(*sticky);
  if (auto header = node.optional("override_header")) route.override_header = lower(non_empty_string(*header));
  if (auto guard = node.optional("guard")) route.guard = decode_guard(*guard);
  return route;
}

}  // namespace

ProxyConfig decode_proxy_config(const YamlReader& root) {
  root.expect_map({"listeners", "admin", "workers", "timeouts", "limits", "upstreams", "routes"});
  ProxyConfig config;
  for (const auto& listener : root.required("listeners").list()) {
    config.listeners.push_back(decode_listener(listener));
  }
  if (auto admin = root.optional("admin")) config.admin = decode_admin(*admin);
  read_u32(root, "workers", rules::kWorkers, config.workers);
  if (auto timeouts = root.optional("timeouts")) config.timeouts = decode_timeouts(*timeouts);
  if (auto limits = root.optional("limits")) config.limits = decode_limits(*limits);
  if (auto upstreams = root.optional("upstreams")) {
    for (const auto& upstream : upstreams->list()) config.upstreams.push_back(decode_upstream(upstream));
  }
  if (auto routes = root.optional("routes")) {
    for (const auto& route : routes->list()) config.routes.push_back(decode_route(route));
  }
  return config;
}

}  // namespace switchyard::config
