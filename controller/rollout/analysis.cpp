#include "controller/rollout/analysis.hpp"

#include <algorithm>
#include <array>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdio>

namespace switchyard::controller::rollout {
namespace {

// Fixed-point text for reasons ("0.0123"); the figures JSON keeps full precision.
std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::optional<double> number_of(const boost::json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.as_int64());
  if (value.is_uint64()) return static_cast<double>(value.as_uint64());
  if (value.is_double()) return value.as_double();
  return std::nullopt;
}

// Adds one proxy's figures for `version` (absent = no traffic there). False when malformed.
bool add_version(const boost::json::object& versions, std::string_view version, VersionTotals& totals) {
  const auto* entry = versions.if_contains(version);
  if (entry == nullptr) return true;
  if (!entry->is_object()) return false;
  const auto& object = entry->as_object();
  const auto* requests = object.if_contains("requests");
  const auto* errors = object.if_contains("errors");
  if (requests == nullptr || errors == nullptr) return false;
  const auto r = number_of(*requests);
  const auto e = number_of(*errors);
  if (!r || !e || *r < 0 || *e < 0 || *e > *r) return false;
  totals.requests += static_cast<std::uint64_t>(*r);
  totals.errors += static_cast<std::uint64_t>(*e);
  if (const auto* p99 = object.if_contains("p99_ms")) {
    const auto p = number_of(*p99);
    if (!p) return false;
    totals.p99_ms = std::max(totals.p99_ms, *p);
  }
  return true;
}

// Parses one proxy's body into the two totals; an error message naming the proxy when malformed.
std::optional<std::string> add_proxy(const ProxyStats& proxy, std::string_view baseline, std::string_view candidate,
                                     VersionTotals& base, VersionTotals& cand) {
  if (proxy.body.empty()) return "proxy " + proxy.proxy + " did not answer";
  boost::system::error_code ec;
  const auto value = boost::json::parse(proxy.body, ec);
  if (ec || !value.is_object()) return "proxy " + proxy.proxy + " answered malformed stats";
  const auto* versions = value.as_object().if_contains("versions");
  if (versions == nullptr || !versions->is_object()) {
    return "proxy " + proxy.proxy + " answered stats without \"versions\"";
  }
  if (!add_version(versions->as_object(), baseline, base) || !add_version(versions->as_object(), candidate, cand)) {
    return "proxy " + proxy.proxy + " answered malformed figures";
  }
  return std::nullopt;
}

boost::json::object figures_of(const VersionTotals& totals) {
  return {{"requests", totals.requests},
          {"errors", totals.errors},
          {"error_rate", totals.error_rate()},
          {"p99_ms", totals.p99_ms}};
}

// The first threshold the candidate breaks, if any.
std::optional<std::string> breach(const config::AnalysisConfig& config, const VersionTotals& base,
                                  const VersionTotals& cand) {
  const double rate = cand.error_rate();
  if (rate > config.max_error_rate) {
    return "error rate " + fixed(rate, 4) + " above max_error_rate " + fixed(config.max_error_rate, 4);
  }
  // The relative check needs baseline traffic in the same window; at 100% the baseline has none.
  if (config.max_error_rate_increase > 0.0 && base.requests > 0 &&
      rate > base.error_rate() + config.max_error_rate_increase) {
    return "error rate " + fixed(rate, 4) + " above baseline " + fixed(base.error_rate(), 4) +
           " + max_error_rate_increase " + fixed(config.max_error_rate_increase, 4);
  }
  if (config.max_p99_ms > 0 && cand.p99_ms > static_cast<double>(config.max_p99_ms)) {
    return "p99 " + fixed(cand.p99_ms, 1) + " ms above max_p99_ms " + std::to_string(config.max_p99_ms);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::pass: return "pass";
    case VerdictKind::fail: return "fail";
    case VerdictKind::inconclusive: return "inconclusive";
  }
  return "inconclusive";
}

std::optional<VerdictKind> verdict_kind_from_string(std::string_view text) {
  for (auto kind : {VerdictKind::pass, VerdictKind::fail, VerdictKind::inconclusive}) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

Verdict analyze(const config::AnalysisConfig& config, std::string_view baseline, std::string_view candidate,
                std::span<const ProxyStats> proxies) {
  Verdict verdict;
  if (proxies.empty()) {
    verdict.reason = "no proxy to read stats from";
    return verdict;
  }
  VersionTotals base;
  VersionTotals cand;
  for (const auto& proxy : proxies) {
    if (auto error = add_proxy(proxy, baseline, candidate, base, cand)) {
      verdict.reason = *error;  // never judge on part of the environment
      return verdict;
    }
  }
  verdict.figures = {{"baseline", figures_of(base)},
                     {"candidate", figures_of(cand)},
                     {"proxies", proxies.size()}};
  if (cand.requests < config.min_requests) {
    verdict.reason = std::to_string(cand.requests) + " requests to " + std::string(candidate) +
                     ", fewer than min_requests " + std::to_string(config.min_requests);
    return verdict;
  }
  if (auto why = breach(config, base, cand)) {
    verdict.kind = VerdictKind::fail;
    verdict.reason = *why;
    return verdict;
  }
  verdict.kind = VerdictKind::pass;
  verdict.reason = std::to_string(cand.requests) + " requests, error rate " + fixed(cand.error_rate(), 4) + ", p99 " +
                   fixed(cand.p99_ms, 1) + " ms within limits";
  return verdict;
}

std::uint32_t max_safe_weight(std::uint32_t healthy, std::uint32_t desired, std::uint32_t requested) {
  if (desired == 0 || healthy >= desired) return requested;
  // Round down: a share a little too small is safe, a little too large is not.
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(requested) * healthy / desired);
}

}  // namespace switchyard::controller::rollout
