#include "proxy/guard/guard_evaluator.hpp"

#include <cmath>
#include <utility>

namespace switchyard::proxy::guard {

std::string_view to_string(GuardRule rule) {
  return rule == GuardRule::p99 ? "p99" : "error_rate";
}

double wilson_lower_bound(std::uint64_t errors, std::uint64_t requests, double z) {
  if (requests == 0) return 0.0;
  const double n = static_cast<double>(requests);
  const double p = static_cast<double>(errors) / n;
  const double z2 = z * z;
  const double centre = p + z2 / (2 * n);
  const double spread = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  const double bound = (centre - spread) / (1 + z2 / n);
  return bound < 0.0 ? 0.0 : bound;
}

GuardEvaluator::GuardEvaluator(config::GuardConfig guard, std::string revert_to, double z)
    : guard_(std::move(guard)), revert_to_(std::move(revert_to)), z_(z) {
  if (!guard_.revert_to.empty()) revert_to_ = guard_.revert_to;
}

GuardVerdict GuardEvaluator::evaluate(std::span<const VersionWindow> versions) const {
  GuardVerdict verdict;
  for (const auto& [version, window] : versions) {
    if (version == revert_to_) continue;  // the place traffic goes back to is never judged
    if (window.requests == 0 || window.requests < guard_.min_requests) continue;
    GuardBreach breach{std::string(version), GuardRule::error_rate, window.requests, window.errors,
                       window.error_rate, wilson_lower_bound(window.errors, window.requests, z_),
                       window.p99_ms};
    if (breach.error_rate_bound > guard_.max_error_rate) {
      verdict.breaches.push_back(std::move(breach));
    } else if (guard_.max_p99_ms != 0 && window.p99_ms > static_cast<double>(guard_.max_p99_ms)) {
      breach.rule = GuardRule::p99;
      verdict.breaches.push_back(std::move(breach));
    }
  }
  return verdict;
}

}  // namespace switchyard::proxy::guard
