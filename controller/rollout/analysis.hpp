#pragma once
// Analysis: judges a canary step from the proxies' per-version stats (GET /v1/routes/R/stats).
// The new version is compared with the baseline in the SAME window of the same proxies (never with
// older figures). Requests and errors are summed over every proxy of the environment; p99 is the
// maximum of the proxies' p99s (conservative: the true merged p99 is never above it).
// Order of judgement: a malformed or missing body -> inconclusive (naming the proxy); fewer than
// min_requests requests for the new version -> inconclusive (too little data never passes and
// never fails: one early error must not roll back a healthy version); then the thresholds -> fail;
// else pass. Pure functions: any thread.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "config/controller_config.hpp"

namespace switchyard::controller::rollout {

enum class VerdictKind { pass, fail, inconclusive };
std::string_view to_string(VerdictKind kind);
std::optional<VerdictKind> verdict_kind_from_string(std::string_view text);

struct Verdict {
  VerdictKind kind = VerdictKind::inconclusive;
  std::string reason;           // why, in one line (names the threshold or the proxy)
  boost::json::object figures;  // {"baseline":{...},"candidate":{...},"proxies":N}
};

// One proxy's answer; `body` empty when the proxy did not answer.
struct ProxyStats {
  std::string proxy;  // e.g. its admin address, used in reasons
  std::string body;
};

struct VersionTotals {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  double p99_ms = 0.0;  // max over proxies
  double error_rate() const { return requests == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(requests); }
};

Verdict analyze(const config::AnalysisConfig& config, std::string_view baseline, std::string_view candidate,
                std::span<const ProxyStats> proxies);

// The largest weight (percent) the new version may get: `requested` scaled by healthy/desired
// when fewer instances are healthy than wanted, so no version gets more traffic than its healthy
// instances were sized for. desired = 0 means "no sizing known" (requested is returned).
std::uint32_t max_safe_weight(std::uint32_t healthy, std::uint32_t desired, std::uint32_t requested);

}  // namespace switchyard::controller::rollout
