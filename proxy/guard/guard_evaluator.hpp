#pragma once
// GuardEvaluator: the guard's judgement of one route. Given the route's GuardConfig and the
// sliding-window summary of each version, it names the versions (other than revert_to) that break
// the route's limits on at least min_requests requests. Pure and deterministic; any thread
// (the guard ticker calls it on the control thread). See docs/guard.md for the maths.
//
// Error rate: a version breaks max_error_rate only when the Wilson score LOWER bound of its error
// rate at z = 3 exceeds the limit, i.e. when the data make a true rate at or below the limit
// implausible (one-sided, ~0.13% per independent window); the point estimate alone would trip on
// noise. Latency: it breaks max_p99_ms (0 = off) when the window's p99 is above it.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/proxy_config.hpp"
#include "proxy/stats/stats_registry.hpp"

namespace switchyard::proxy::guard {

inline constexpr double kDefaultZ = 3.0;

struct VersionWindow {
  std::string_view version;
  stats::WindowSummary window;
};

enum class GuardRule { error_rate, p99 };
std::string_view to_string(GuardRule rule);

struct GuardBreach {
  std::string version;
  GuardRule rule = GuardRule::error_rate;
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  double error_rate = 0.0;         // observed
  double error_rate_bound = 0.0;   // Wilson lower bound at z
  double p99_ms = 0.0;
};

struct GuardVerdict {
  std::vector<GuardBreach> breaches;  // empty: nothing to do
  bool trip() const { return !breaches.empty(); }
};

// Wilson score interval's lower bound for `errors` out of `requests` at `z`; 0 when requests = 0.
double wilson_lower_bound(std::uint64_t errors, std::uint64_t requests, double z);

class GuardEvaluator {
 public:
  // `revert_to` empty = the route's first version (as ControlState reverts): pass it resolved.
  GuardEvaluator(config::GuardConfig guard, std::string revert_to, double z = kDefaultZ);

  GuardVerdict evaluate(std::span<const VersionWindow> versions) const;

 private:
  config::GuardConfig guard_;
  std::string revert_to_;
  double z_;
};

}  // namespace switchyard::proxy::guard
