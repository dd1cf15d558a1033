#include "proxy/admin/guard_ticker.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <vector>

#include "proxy/admin/control_state.hpp"
#include "proxy/guard/guard_evaluator.hpp"

namespace switchyard::proxy::admin {
namespace {

std::string revert_target(const config::RouteConfig& route) {
  if (route.guard && !route.guard->revert_to.empty()) return route.guard->revert_to;
  return route.split.empty() ? std::string{} : route.split.front().version;
}

void log_trip(const config::RouteConfig& route, const guard::GuardBreach& breach) {
  const auto& limits = *route.guard;
  spdlog::warn(
      "guard tripped: route {} version {} broke {}: {} errors in {} requests ({:.2f}%, lower bound "
      "{:.2f}% > limit {:.2f}%), p99 {:.1f} ms (limit {} ms); all traffic to {}",
      route.name, breach.version, guard::to_string(breach.rule), breach.errors, breach.requests,
      breach.error_rate * 100, breach.error_rate_bound * 100, limits.max_error_rate * 100,
      breach.p99_ms, limits.max_p99_ms, revert_target(route));
}

}  // namespace

GuardTicker::GuardTicker(boost::asio::io_context& control, ControlState& state,
                         stats::StatsRegistry& stats, std::chrono::milliseconds period, Clock now_ms)
    : state_(state), stats_(stats), timer_(control), period_(period), now_ms_(std::move(now_ms)) {}

void GuardTicker::start() {
  running_ = true;
  schedule();
}

void GuardTicker::stop() {
  running_ = false;
  timer_.cancel();
}

stats::WindowSummary GuardTicker::judged_window(const RouteWatch& watch, std::uint32_t slot,
                                               const std::string& version, std::uint32_t window_ms,
                                               std::int64_t now_ms) const {
  if (watch.rearm_epoch == std::numeric_limits<std::int64_t>::min()) return stats_.window(slot, window_ms, now_ms);
  // `since_ms` keeps whole buckets after the one it falls in: one bucket earlier keeps the re-arm's.
  auto summary = stats_.window(slot, window_ms, now_ms, (watch.rearm_epoch - 1) * stats::kBucketMs);
  const std::int64_t buckets = std::clamp<std::int64_t>((window_ms + stats::kBucketMs - 1) / stats::kBucketMs, 1,
                                                         static_cast<std::int64_t>(stats::kMaxWindowBuckets));
  const auto first_in_window = stats::window_epoch(now_ms) - buckets + 1;
  const auto found = watch.rearm_counts.find(version);
  if (found != watch.rearm_counts.end() && watch.rearm_epoch >= first_in_window) {
    const auto [requests, errors] = found->second;
    summary.requests -= std::min(summary.requests, requests);
    summary.errors -= std::min(summary.errors, errors);
    summary.error_rate = summary.requests ? static_cast<double>(summary.errors) / static_cast<double>(summary.requests) : 0.0;
  }
  return summary;
}

void GuardTicker::schedule() {
  timer_.expires_after(period_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || !running_) return;
    tick(now_ms_());
    schedule();
  });
}

int GuardTicker::tick(std::int64_t now_ms) {
  // Verdicts first, trips after: mark_tripped replaces the config that this loop walks.
  std::vector<std::pair<std::string, guard::GuardBreach>> trips;
  for (const auto& route : state_.config().routes) {
    if (!route.guard) continue;
    auto& watch = watch_[route.name];
    const bool tripped = state_.guard_state(route.name) == GuardState::tripped;
    if (!tripped && watch.tripped) {  // re-armed: a clean slate from now on
      watch.rearm_epoch = stats::window_epoch(now_ms);
      watch.rearm_counts.clear();
      for (const auto& entry : route.split) {
        if (const auto slot = stats_.find_slot(route.name, entry.version)) {
          const auto current = stats_.window(*slot, 1, now_ms);  // the current bucket only
          watch.rearm_counts[entry.version] = {current.requests, current.errors};
        }
      }
    }
    watch.tripped = tripped;
    if (tripped) continue;
    std::vector<guard::VersionWindow> versions;
    versions.reserve(route.split.size());
    for (const auto& entry : route.split) {
      const auto slot = stats_.find_slot(route.name, entry.version);
      if (!slot) continue;  // never routed to: nothing to judge
      versions.push_back({entry.version, judged_window(watch, *slot, entry.version, route.guard->window_ms, now_ms)});
    }
    const guard::GuardEvaluator evaluator(*route.guard, revert_target(route));
    auto verdict = evaluator.evaluate(versions);
    if (verdict.trip()) trips.emplace_back(route.name, std::move(verdict.breaches.front()));
  }
  int tripped = 0;
  for (const auto& [name, breach] : trips) {
    const auto* route = state_.find_route(name);
    if (route == nullptr) continue;
    const auto config_copy = *route;  // for the log line: the trip rewrites the split
    if (auto result = state_.mark_tripped(name); !result.ok()) {
      spdlog::error("guard: could not revert route {}: {}", name, result.error->message);
      continue;
    }
    stats_.record_guard_trip(name);
    watch_[name].tripped = true;
    log_trip(config_copy, breach);
    ++tripped;
  }
  return tripped;
}

}  // namespace switchyard::proxy::admin
