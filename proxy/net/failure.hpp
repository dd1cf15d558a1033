#pragma once
// Failure: an error on the request path as a value: what failed, on which side, and whether
// trying again is safe. One place (local_reply) turns it into the answer the client gets.

#include <cstdint>

namespace switchyard::proxy::net {

enum class FailureKind : std::uint8_t {
  none,
  connect,      // upstream refused / unreachable / connect timed out     -> 502
  timeout,      // upstream did not answer in time                        -> 504
  reset,        // upstream closed or reset the connection mid-exchange   -> 502
  no_endpoint,  // the version's upstream has no (healthy) endpoint       -> 503
  no_route,     // no route matches                                       -> 404
  client,       // the client went away or sent garbage: nothing to answer
  overflow,     // an upstream circuit breaker (max_connections/pending/requests) -> 503
};

enum class FailureSource : std::uint8_t { none, downstream, upstream, internal };

struct Failure {
  FailureKind kind = FailureKind::none;
  FailureSource source = FailureSource::none;
  bool retryable = false;  // nothing of the request reached the upstream yet

  explicit operator bool() const { return kind != FailureKind::none; }
};

// HTTP status a failure is answered with (0 when no answer can be sent).
unsigned failure_status(FailureKind kind);
const char* failure_name(FailureKind kind);

}  // namespace switchyard::proxy::net
