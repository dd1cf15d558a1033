// Semantic rules shared by the loader and validate_proxy_config(): uniqueness, references,
// ranges and weight sums. Type and syntax problems are the YAML reader's business.
#include "config/config_rules.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmath>
#include <set>
#include <string>

#include "config/load_proxy_config.hpp"

namespace switchyard::config::rules {

std::optional<FieldError> error_at(std::string path, std::string message) {
  return FieldError{std::move(path), std::move(message)};
}

std::optional<FieldError> in_range(const std::string& path, std::int64_t value, Range range) {
  if (auto message = check_range(value, range); !message.empty()) return error_at(path, message);
  return std::nullopt;
}

std::string at(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

namespace {

using Result = std::optional<FieldError>;

// An in-memory address is valid when it survives a print/parse round trip unchanged.
Result check_address(const std::string& path, const HostPort& address) {
  HostPort parsed;
  if (auto message = parse_host_port(address.to_string(), parsed); !message.empty()) {
    return error_at(path, message);
  }
  if (!(parsed == address)) return error_at(path, "must be an IP literal, got '" + address.host + "'");
  return std::nullopt;
}

Result check_name_at(const std::string& path, std::string_view name) {
  if (auto message = check_name(name); !message.empty()) return error_at(path, message);
  return std::nullopt;
}

Result check_header_name(const std::string& path, const std::string& name) {
  if (!is_token(name)) return error_at(path, "must be a valid header name, got '" + name + "'");
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return error_at(path, "must be lower-case");
  }
  return std::nullopt;
}

Result check_listeners(const ProxyConfig& config) {
  if (config.listeners.empty()) return error_at("listeners", "must not be empty");
  std::set<std::pair<std::string, std::uint16_t>> seen;
  for (std::size_t i = 0; i < config.listeners.size(); ++i) {
    const auto& listener = config.listeners[i];
    const std::string path = at("listeners", i);
    if (auto e = check_address(path + ".address", listener.address)) return e;
    // Port 0 asks the OS for a fresh port each time, so several such listeners never collide.
    if (listener.address.port != 0 &&
        !seen.emplace(listener.address.host, listener.address.port).second) {
      return error_at(path + ".address",
                      "duplicate listener address '" + listener.address.to_string() + "'");
    }
    if (listener.tls && listener.tls->certificates.empty()) {
      if (listener.tls->cert.empty()) return error_at(path + ".tls.cert", "must not be empty");
      if (listener.tls->key.empty()) return error_at(path + ".tls.key", "must not be empty");
    }
  }
  return std::nullopt;
}

Result check_admin(const ProxyConfig& config) {
  const auto& address = config.admin.address;
  if (auto e = check_address("admin.address", address)) return e;
  // The admin API changes routing: anyone who can reach it without a token can take the traffic.
  if (config.admin.token_file.empty() && !is_loopback(address.host)) {
    return error_at("admin.address", "'" + address.to_string() +
                                         "' is not a loopback address: set admin.token_file "
                                         "or bind 127.0.0.1 / [::1]");
  }
  if (address.port == 0) return std::nullopt;
  for (std::size_t i = 0; i < config.listeners.size(); ++i) {
    if (config.listeners[i].address == address) {
      return error_at("admin.address", "same address as " + at("listeners", i) + ".address");
    }
  }
  return std::nullopt;
}

Result check_limits(const LimitsConfig& limits) {
  if (auto e = in_range("limits.max_header_bytes", limits.max_header_bytes, kMaxHeaderBytes)) return e;
  if (auto e = in_range("limits.max_headers", limits.max_headers, kMaxHeaders)) return e;
  if (auto e = in_range("limits.max_request_line_bytes", limits.max_request_line_bytes, kMaxRequestLineBytes))
    return e;
  if (limits.max_request_line_bytes > limits.max_header_bytes)
    return error_at("limits.max_request_line_bytes", "must be <= limits.max_header_bytes");
  if (limits.max_body_bytes > std::numeric_limits<std::uint32_t>::max())
    return error_at("limits.max_body_bytes", "must be <= 4294967295");
  return in_range("limits.header_timeout_ms", limits.header_timeout_ms, kPositiveU32);
}

Result check_timeouts(const Timeouts& timeouts) {
  if (auto e = in_range("timeouts.connect_ms", timeouts.connect_ms, kPositiveU32)) return e;
  if (auto e = in_range("timeouts.request_ms", timeouts.request_ms, kPositiveU32)) return e;
  if (auto e = in_range("timeouts.idle_ms", timeouts.idle_ms, kPositiveU32)) return e;
  return in_range("timeouts.drain_ms", timeouts.drain_ms, kPositiveU32);
}

Result check_health_check(const std::string& path, const HealthCheckConfig& check) {
  if (check.path.empty() || check.path.front() != '/') {
    return error_at(path + ".path", "must start with '/'");
  }
  if (auto e = in_range(path + ".interval_ms", check.interval_ms, kPositiveU32)) return e;
  if (auto e = in_range(path + ".timeout_ms", check.timeout_ms, kPositiveU32)) return e;
  if (check.timeout_ms > check.interval_ms) {
    return error_at(path + ".timeout_ms",
                    "must be <= interval_ms (" + std::to_string(check.interval_ms) + ")");
  }
  if (auto e = in_range(path + ".healthy", check.healthy, kPositiveU32)) return e;
  return in_range(path + ".unhealthy", check.unhealthy, kPositiveU32);
}

Result check_outlier_detection(const std::string& path, const OutlierDetectionConfig& outlier) {
  if (auto e = in_range(path + ".consecutive_failures", outlier.consecutive_failures, kPositiveU32)) return e;
  if (auto e = in_range(path + ".base_ejection_ms", outlier.base_ejection_ms, kPositiveU32)) return e;
  if (outlier.max_ejection_ms < outlier.base_ejection_ms) {
    return error_at(path + ".max_ejection_ms",
                    "must be >= base_ejection_ms (" + std::to_string(outlier.base_ejection_ms) + ")");
  }
  return std::nullopt;
}

Result check_upstream(const std::string& path, const UpstreamConfig& upstream) {
  if (auto e = check_name_at(path + ".name", upstream.name)) return e;
  std::set<std::pair<std::string, std::uint16_t>> seen;
  for (std::size_t j = 0; j < upstream.endpoints.size(); ++j) {
    const auto& endpoint = upstream.endpoints[j];
    if (auto e = check_address(at(path + ".endpoints", j), endpoint)) return e;
    if (!seen.emplace(endpoint.host, endpoint.port).second) {
      return error_at(at(path + ".endpoints", j),
                      "duplicate endpoint '" + endpoint.to_string() + "'");
    }
  }
  if (auto e = check_outlier_detection(path + ".outlier_detection", upstream.outlier_detection)) return e;
  if (upstream.health_check) return check_health_check(path + ".health_check", *upstream.health_check);
  return std::nullopt;
}

Result check_upstreams(const ProxyConfig& config) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < config.upstreams.size(); ++i) {
    const std::string path = at("upstreams", i);
    if (auto e = check_upstream(path, config.upstreams[i])) return e;
    if (!names.insert(config.upstreams[i].name).second) {
      return error_at(path + ".name", "duplicate upstream name '" + config.upstreams[i].name + "'");
    }
  }
  return std::nullopt;
}

Result check_split(const std::string& path, const std::vector<SplitEntry>& split,
                   const std::set<std::string>& upstream_names) {
  if (split.empty()) return error_at(path, "must not be empty");
  std::set<std::string> versions;
  std::uint64_t sum = 0;
  for (std::size_t j = 0; j < split.size(); ++j) {
    const auto& entry = split[j];
    const std::string entry_path = at(path, j);
    if (auto e = check_name_at(entry_path + ".version", entry.version)) return e;
    if (!versions.insert(entry.version).second) {
      return error_at(entry_path + ".version", "duplicate version '" + entry.version + "'");
    }
    if (!upstream_names.contains(entry.upstream)) {
      return error_at(entry_path + ".upstream", "unknown upstream '" + entry.upstream + "'");
    }
    if (auto e = in_range(entry_path + ".weight", entry.weight, kWeight)) return e;
    sum += entry.weight;
  }
  if (sum == 0) return error_at(path, "weights sum to 0");
  return std::nullopt;
}

Result check_match(const std::string& path, const MatchConfig& match) {
  for (char c : match.host) {
    if (c <= ' ' || c == '/' || c >= 0x7f) {
      return error_at(path + ".host", "must be a host name, got '" + match.host + "'");
    }
  }
  if (!match.host.empty() && match.host.front() != '[' && match.host.find(':') != std::string::npos) {
    return error_at(path + ".host", "must not include a port");
  }
  if (match.path_prefix.empty() || match.path_prefix.front() != '/') {
    return error_at(path + ".path_prefix", "must start with '/'");
  }
  return std::nullopt;
}

Result check_sticky(const std::string& path, const StickyConfig& sticky) {
  switch (sticky.kind) {
    case StickyConfig::Kind::none:
      return std::nullopt;
    case StickyConfig::Kind::cookie:
      if (!is_token(sticky.name)) {
        return error_at(path + ".cookie", "must be a valid cookie name, got '" + sticky.name + "'");
      }
      return std::nullopt;
    case StickyConfig::Kind::header:
      return check_header_name(path + ".header", sticky.name);
  }
  return std::nullopt;
}

Result check_guard(const std::string& path, const GuardConfig& guard,
                   const std::vector<SplitEntry>& split) {
  bool known = false;
  for (const auto& entry : split) known = known || entry.version == guard.revert_to;
  if (!known) return error_at(path + ".revert_to", "unknown version '" + guard.revert_to + "'");
  if (auto e = in_range(path + ".window_ms", guard.window_ms, kGuardWindowMs)) return e;
  if (auto e = in_range(path + ".min_requests", guard.min_requests, kPositiveU32)) return e;
  // Written as a negated test so that NaN fails it too.
  if (!(guard.max_error_rate >= 0.0 && guard.max_error_rate <= 1.0)) {
    return error_at(path + ".max_error_rate", "must be between 0 and 1");
  }
  return std::nullopt;
}

Result check_route(const std::string& path, const RouteConfig& route,
                   const std::set<std::string>& upstream_names) {
  if (auto e = check_name_at(path + ".name", route.name)) return e;
  if (auto e = check_match(path + ".match", route.match)) return e;
  if (auto e = check_split(path + ".split", route.split, upstream_names)) return e;
  if (auto e = check_sticky(path + ".sticky", route.sticky)) return e;
  if (!route.override_header.empty()) {
    if (auto e = check_header_name(path + ".override_header", route.override_header)) return e;
  }
  if (route.guard) return check_guard(path + ".guard", *route.guard, route.split);
  return std::nullopt;
}

Result check_routes(const ProxyConfig& config) {
  std::set<std::string> upstream_names;
  for (const auto& upstream : config.upstreams) upstream_names.insert(upstream.name);
  std::set<std::string> route_names;
  for (std::size_t i = 0; i < config.routes.size(); ++i) {
    const std::string path = at("routes", i);
    if (auto e = check_route(path, config.routes[i], upstream_names)) return e;
    if (!route_names.insert(config.routes[i].name).second) {
      return error_at(path + ".name", "duplicate route name '" + config.routes[i].name + "'");
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_loopback(const std::string& host) {
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

std::string check_range(std::int64_t value, Range range) {
  if (value < range.min) {
    if (range.min == 1) return "must be > 0";
    return "must be >= " + std::to_string(range.min);
  }
  if (value > range.max) return "must be <= " + std::to_string(range.max);
  return {};
}

std::string check_name(std::string_view name) {
  if (name.empty()) return "must not be empty";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '+';
    // '+' carries build metadata in version labels (config-only rollouts: "2.1.0+cfg.1a2b3c4d").
    if (!ok) return "must contain only letters, digits, '.', '_', '-' and '+', got '" + std::string(name) + "'";
  }
  return {};
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    kSpecials.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

std::optional<FieldError> check_proxy_config(const ProxyConfig& config) {
  if (auto e = check_listeners(config)) return e;
  if (auto e = check_admin(config)) return e;
  if (auto e = in_range("workers", config.workers, kWorkers)) return e;
  if (auto e = check_timeouts(config.timeouts)) return e;
  if (auto e = check_limits(config.limits)) return e;
  if (auto e = check_upstreams(config)) return e;
  return check_routes(config);
}

}  // namespace switchyard::config::rules
