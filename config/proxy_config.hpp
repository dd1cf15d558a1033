#pragma once
// Typed, validated proxy configuration (SPEC §2). Pure data: no sockets, no threads.
// Produced by load_proxy_config(); every value here has passed validation.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::config {

// A host:port pair as written in the file ("0.0.0.0:8080", "[::1]:9901").
// `host` is the literal IP without brackets; port 0 asks the OS for a free port.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;

  std::string to_string() const;  // brackets IPv6 hosts again
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

struct TlsCertificate {
  std::string cert;  // PEM paths, resolved relative to the config file's directory
  std::string key;
  friend bool operator==(const TlsCertificate&, const TlsCertificate&) = default;
};

// `tls: { cert, key }` (SPEC) fills cert/key; the extension `tls: { certificates: [...] }` fills
// `certificates` instead (SNI picks among them; the first is the default).
struct TlsConfig {
  std::string cert;
  std::string key;
  std::vector<TlsCertificate> certificates;
  friend bool operator==(const TlsConfig&, const TlsConfig&) = default;
};

struct ListenerConfig {
  HostPort address;
  std::optional<TlsConfig> tls;
  std::uint32_t max_connections = 0;  // open client connections; 0 = unlimited; at the limit accept pauses
  friend bool operator==(const ListenerConfig&, const ListenerConfig&) = default;
};

struct AdminConfig {
  HostPort address{"127.0.0.1", 9901};
  std::string token_file;  // empty = no token required
  friend bool operator==(const AdminConfig&, const AdminConfig&) = default;
};

struct Timeouts {
  std::uint32_t connect_ms = 1000;
  std::uint32_t request_ms = 30000;  // upstream response head must arrive within this
  std::uint32_t idle_ms = 60000;     // keep-alive idle time on either side
  std::uint32_t drain_ms = 10000;    // extension: bound on graceful shutdown
  friend bool operator==(const Timeouts&, const Timeouts&) = default;
};

// Bounds on what one client may send (docs/hostile-input.md). Process settings, like timeouts.
struct LimitsConfig {
  std::uint32_t max_header_bytes = 64 * 1024;      // whole request head; over -> 431
  std::uint32_t max_headers = 100;                 // header lines; over -> 431
  std::uint32_t max_request_line_bytes = 8 * 1024; // over -> 414
  std::uint64_t max_body_bytes = 0;                // 0 = unlimited; over -> 413
  std::uint32_t header_timeout_ms = 10000;         // first byte of a head to its end; over -> 408
  friend bool operator==(const LimitsConfig&, const LimitsConfig&) = default;
};

struct HealthCheckConfig {
  std::string path = "/healthz";
  std::uint32_t interval_ms = 1000;
  std::uint32_t timeout_ms = 500;
  std::uint32_t healthy = 2;
  std::uint32_t unhealthy = 3;
  friend bool operator==(const HealthCheckConfig&, const HealthCheckConfig&) = default;
};

// Passive health (docs/health.md): consecutive failures eject an endpoint for a growing time.
struct OutlierDetectionConfig {
  bool enabled = true;  // on by default, like Envoy's consecutive_5xx
  std::uint32_t consecutive_failures = 5;
  std::uint32_t base_ejection_ms = 10000;
  std::uint32_t max_ejection_ms = 300000;
  friend bool operator==(const OutlierDetectionConfig&, const OutlierDetectionConfig&) = default;
};

struct UpstreamConfig {
  std::string name;
  std::vector<HostPort> endpoints;  // may be empty: then requests routed here get 503
  std::optional<HealthCheckConfig> health_check;
  OutlierDetectionConfig outlier_detection{};
  // Circuit breakers (docs/health.md); 0 = unlimited.
  std::uint32_t max_connections = 0;  // open connections across all workers
  std::uint32_t max_pending = 0;      // requests waiting for a connection at max_connections
  std::uint32_t max_requests = 0;     // concurrent requests across all workers
  friend bool operator==(const UpstreamConfig&, const UpstreamConfig&) = default;
};

struct SplitEntry {
  std::string version;
  std::string upstream;
  std::uint32_t weight = 0;
  friend bool operator==(const SplitEntry&, const SplitEntry&) = default;
};

struct StickyConfig {
  enum class Kind { none, cookie, header };
  Kind kind = Kind::none;
  std::string name;  // cookie name, or header name (lower-cased)
  friend bool operator==(const StickyConfig&, const StickyConfig&) = default;
};

struct MatchConfig {
  std::string host;               // empty = any host; compared case-insensitively, without port
  std::string path_prefix = "/";  // must start with '/'
  friend bool operator==(const MatchConfig&, const MatchConfig&) = default;
};

struct GuardConfig {
  std::string revert_to;  // a version of the route's split
  std::uint32_t window_ms = 10000;
  std::uint32_t min_requests = 20;
  double max_error_rate = 0.05;  // 0..1
  std::uint32_t max_p99_ms = 0;  // 0 = off
  friend bool operator==(const GuardConfig&, const GuardConfig&) = default;
};

struct RouteConfig {
  std::string name;
  MatchConfig match;
  std::vector<SplitEntry> split;  // at least one entry; weights sum > 0
  StickyConfig sticky;
  std::string override_header;  // lower-cased; empty = off
  std::optional<GuardConfig> guard;
  friend bool operator==(const RouteConfig&, const RouteConfig&) = default;
};

struct ProxyConfig {
  std::vector<ListenerConfig> listeners;  // at least one
  AdminConfig admin;
  std::uint32_t workers = 0;  // 0 = one per core
  Timeouts timeouts;
  LimitsConfig limits;
  std::vector<UpstreamConfig> upstreams;
  std::vector<RouteConfig> routes;
  friend bool operator==(const ProxyConfig&, const ProxyConfig&) = default;
};

}  // namespace switchyard::config
