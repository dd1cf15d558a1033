#pragma once
// LoadClient: steady concurrent HTTP/1.1 load for zero-downtime tests. One Asio io_context on
// its own thread drives N keep-alive connections, each sending requests back to back (or at a
// set rate) until stop(). Every request is classified: status class, socket error, or a retry.
// Like any well-behaved client (RFC 9112 §9.3.1) a request that fails on a REUSED connection
// before any byte of the response arrived (the server closed an idle keep-alive connection) is
// retried once on a NEW connection; such retries are counted apart. Anything else is an error.
// Owned by the test thread: start(), snapshot() and stop() are called from it only.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace switchyard::test {

struct LoadOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned connections = 16;
  std::string target = "/";
  // Every `post_every`-th request of a connection is a POST with `post_body` (0 = GETs only).
  unsigned post_every = 0;
  std::string post_body = "hello";
  // Requests per second per connection; 0 = as fast as the server answers.
  double rate_per_connection = 0;
  std::chrono::milliseconds request_timeout{5000};
};

struct LoadResult {
  std::uint64_t requests = 0;  // complete responses
  std::uint64_t status_2xx = 0, status_3xx = 0, status_4xx = 0, status_5xx = 0;
  std::uint64_t errors = 0;  // connect_errors + reset_errors + eof_errors + timeouts + other
  std::uint64_t connect_errors = 0, reset_errors = 0, eof_errors = 0, timeouts = 0, other_errors = 0;
  std::uint64_t retries = 0;   // retried once after a reused connection was closed before any byte
  std::uint64_t connects = 0;  // TCP connections opened
  std::chrono::microseconds p50{0}, p99{0}, max{0};
  double seconds = 0;
  std::map<std::string, std::uint64_t> bodies;  // short response bodies (<= 64 bytes), trimmed
  std::vector<std::string> error_samples;      // the first few error messages
  std::uint64_t non_2xx() const { return requests - status_2xx; }
  std::string summary() const;  // one line: counts, errors, retries, latencies
};

class LoadClient {
 public:
  explicit LoadClient(LoadOptions options);
  ~LoadClient();  // stops if still running
  LoadClient(const LoadClient&) = delete;
  LoadClient& operator=(const LoadClient&) = delete;

  void start();
  // Counts so far (latency percentiles are computed only by stop()).
  LoadResult snapshot() const;
  // Waits (bounded) until at least `n` more responses arrived than when called.
  bool wait_for_requests(std::uint64_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Stops all connections after their current request and returns the totals.
  LoadResult stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::test
