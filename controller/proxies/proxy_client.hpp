#pragma once
// ProxyClient: the controller's client for ONE proxy's admin API (SPEC §4) — the only contract
// between controller and proxy. Synchronous and bounded: each call runs Beast's asynchronous
// operations on the client's own private io_context until they finish, with one deadline
// covering connect, write and read (tcp_stream expiry), so no call outlives its timeout.
// One keep-alive connection, opened on first use and re-opened after any failure; a request
// that fails on a reused connection before any answer arrived is retried once on a new one
// (every call here is idempotent: GET, PUT, DELETE).
// Never throws: every outcome, including the proxy being down, comes back as an AdminResult.
// Not thread-safe: owned by one thread (the controller's control thread). A long poll
// (events with wait_ms) holds this client for its duration: use a separate client for it.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "config/controller_config.hpp"

namespace switchyard::controller::proxies {

struct ProxyClientOptions {
  std::chrono::milliseconds timeout{2000};  // whole exchange, per call (long polls add wait_ms)
  std::size_t body_limit = 8 * 1024 * 1024;
  bool record_changes = true;  // report changes to the installed ChangeRecorder (drift detection)
};

struct AdminResult {
  bool ok = false;          // a 2xx answer arrived
  int status = 0;           // 0 = no HTTP answer at all (refused, timed out, bad token file...)
  std::string body;
  boost::json::value json;  // the body parsed, when it is JSON; null otherwise
  std::string error;        // empty when ok; names the proxy, the call and what went wrong
};

struct ConfigResult {
  AdminResult result;
  std::string hash;           // sha256 hex of the configuration in force
  boost::json::value config;  // the configuration object
};

struct ProxyEvent {
  std::uint64_t seq = 0;
  std::string time;
  std::string kind;   // weights_changed, guard_tripped, reverted, endpoint_down, ...
  std::string route;  // may be empty (e.g. endpoint events)
  boost::json::value fields;  // the whole event object, kind-specific keys included
};

struct EventsResult {
  AdminResult result;
  std::vector<ProxyEvent> events;  // oldest first
  std::uint64_t next = 0;          // pass as `since` next time
};

class ProxyClient {
 public:
  // Reads the bearer token from target.token_file now (empty path = no token); an unreadable
  // token file makes every call fail with a message naming the file.
  explicit ProxyClient(config::ProxyTarget target, ProxyClientOptions options = {});
  ~ProxyClient();
  ProxyClient(const ProxyClient&) = delete;
  ProxyClient& operator=(const ProxyClient&) = delete;

  const std::string& name() const { return name_; }  // "host:port"
  // Re-reads the token file (after a rotation).
  void reload_token();

  AdminResult healthz();
  AdminResult get_route(const std::string& route);
  AdminResult put_weights(const std::string& route,
                          const std::map<std::string, std::uint32_t>& weights);
  AdminResult put_split(const std::string& route, const std::vector<config::SplitEntry>& split);
  AdminResult put_upstream(const std::string& name, const std::vector<std::string>& endpoints,
                           const std::optional<config::HealthCheckConfig>& health_check = {});
  AdminResult delete_upstream(const std::string& name);
  AdminResult get_stats(const std::string& route);
  ConfigResult get_config();
  // GET /v1/events?since=N&wait_ms=M: a long poll when wait_ms > 0 (the proxy caps it at 30 s);
  // the call's timeout is wait_ms + the client's timeout.
  EventsResult events(std::uint64_t since, std::uint32_t wait_ms = 0);

  // Any admin call; `body` is sent as JSON when not empty.
  AdminResult request(const std::string& method, const std::string& target,
                      const std::string& body = "",
                      std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // TCP connections opened so far (1 while keep-alive holds).
  int connects() const;

 private:
  struct Impl;
  config::ProxyTarget target_;
  ProxyClientOptions options_;
  std::string name_;
  std::string token_;
  std::string token_error_;
  std::unique_ptr<Impl> impl_;
};

// Percent-encodes a path segment (route and upstream names).
std::string encode_segment(const std::string& text);

}  // namespace switchyard::controller::proxies
