#pragma once
// Proxy calls that wait for proxies that do not answer (issue 4, point 7). A change is applied to
// every proxy of an environment; a proxy that gives no answer (connection refused, timeout) or a
// 5xx is asked again every `interval` until it succeeds or `limit` has passed since the first try.
// Proxies that answer are done at the first pass, so a rollback reaches them at once while a dead
// one is still being retried. A definite refusal (4xx) is not retried: asking again cannot help.
// The caller decides what a leftover failure means (forward action: fail, which rolls back; a
// rollback action: its failure is reported and the plan goes on - applied where proxies answered).
// Runs on the caller's thread (the executor's worker) and blocks for at most about
// limit + one client timeout.

#include <chrono>
#include <functional>
#include <string>

#include "controller/proxies/proxy_fleet.hpp"

namespace switchyard::controller::engine {

struct RetryPolicy {
  std::chrono::milliseconds limit{10000};
  std::chrono::milliseconds interval{250};
};

// 10 s, or SWITCHYARD_PROXY_RETRY_MS from the environment when set to a number (tests use it).
RetryPolicy default_retry_policy();

// True when the answer says the proxy did not really answer (no HTTP answer, or a 5xx).
bool worth_retrying(const proxies::AdminResult& result);

// Runs `call` on every proxy of `fleet` (configuration order), retrying as described above.
// `call` answers the failing AdminResult of its exchange, or an ok one. Returns "" when every
// proxy succeeded; otherwise one line per proxy that did not, naming it and the last error.
std::string on_every_proxy(proxies::ProxyFleet& fleet,
                           const std::function<proxies::AdminResult(proxies::ProxyClient&)>& call,
                           RetryPolicy policy);

}  // namespace switchyard::controller::engine
