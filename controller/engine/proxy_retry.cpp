#include "controller/engine/proxy_retry.hpp"

#include <cstdlib>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

namespace switchyard::controller::engine {

RetryPolicy default_retry_policy() {
  RetryPolicy policy;
  if (const char* text = std::getenv("SWITCHYARD_PROXY_RETRY_MS")) {
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (end != text && *end == '\0' && value >= 0) policy.limit = std::chrono::milliseconds(value);
  }
  return policy;
}

bool worth_retrying(const proxies::AdminResult& result) {
  return !result.ok && (result.status == 0 || result.status >= 500);
}

std::string on_every_proxy(proxies::ProxyFleet& fleet,
                           const std::function<proxies::AdminResult(proxies::ProxyClient&)>& call,
                           RetryPolicy policy) {
  if (fleet.size() == 0) return "the environment has no proxies";
  const auto deadline = std::chrono::steady_clock::now() + policy.limit;
  std::vector<std::string> errors(fleet.size());
  std::vector<bool> open(fleet.size(), true);  // still to be tried
  for (int attempt = 0;; ++attempt) {
    bool waiting = false;
    for (std::size_t i = 0; i < fleet.size(); ++i) {
      if (!open[i]) continue;
      auto result = call(fleet.proxy(i));
      if (result.ok) {
        open[i] = false;
        errors[i].clear();
        if (attempt > 0) spdlog::info("proxy {} answered again after {} retries", fleet.proxy(i).name(), attempt);
        continue;
      }
      errors[i] = fleet.proxy(i).name() + ": " + result.error;
      if (worth_retrying(result)) {
        waiting = true;
      } else {
        open[i] = false;
      }
    }
    if (!waiting || std::chrono::steady_clock::now() + policy.interval > deadline) break;
    if (attempt == 0) spdlog::warn("a proxy did not answer; retrying every {}ms for up to {}ms",
                                   policy.interval.count(), policy.limit.count());
    std::this_thread::sleep_for(policy.interval);
  }
  std::string report;
  for (const auto& error : errors) {
    if (error.empty()) continue;
    if (!report.empty()) report += "\n";
    report += error;
  }
  return report;
}

}  // namespace switchyard::controller::engine
