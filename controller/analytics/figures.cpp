// The definitions of docs/analytics.md, from history rows to figures.
#include "controller/analytics/figures.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

namespace switchyard::controller::analytics {
namespace {

using Key = std::pair<std::string, std::string>;  // app, env

// Integer mean rounded to the nearest millisecond; nullopt when empty.
std::optional<std::int64_t> mean(const std::vector<std::int64_t>& values) {
  if (values.empty()) return std::nullopt;
  long double sum = 0;
  for (auto v : values) sum += static_cast<long double>(v);
  return static_cast<std::int64_t>(std::llround(sum / static_cast<long double>(values.size())));
}

std::optional<double> ratio(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

// Raw inputs of one group, turned into Figures by finish_figures().
struct Tally {
  Figures figures;
  std::vector<std::int64_t> durations;
  std::vector<std::int64_t> restores;
};

void add_rollout(Tally& tally, const RolloutFacts& rollout) {
  auto& f = tally.figures;
  ++f.deployments;
  if (rollout.rollback_at) ++f.rollbacks;
  if (!rollout.finished_at || !rollout.result) {
    ++f.in_progress;
    return;
  }
  ++f.finished;
  if (*rollout.result == "succeeded") ++f.succeeded;
  if (*rollout.result == "failed") ++f.failed;
  if (*rollout.result == "aborted") ++f.aborted;
  tally.durations.push_back(*rollout.finished_at - rollout.started_at);
  if (auto restore = restore_ms(rollout)) tally.restores.push_back(*restore);
}

Figures finish_figures(Tally tally) {
  auto f = tally.figures;
  f.success_rate = ratio(f.succeeded, f.finished);
  f.change_failure_rate = ratio(f.failed, f.succeeded + f.failed);
  f.mean_duration_ms = mean(tally.durations);
  f.p90_duration_ms = nearest_rank(tally.durations, 90);
  f.restores = static_cast<std::int64_t>(tally.restores.size());
  f.mean_time_to_restore_ms = mean(tally.restores);
  return f;
}

void merge(Tally& into, const Tally& from) {
  auto& a = into.figures;
  const auto& b = from.figures;
  a.deployments += b.deployments;
  a.in_progress += b.in_progress;
  a.finished += b.finished;
  a.succeeded += b.succeeded;
  a.failed += b.failed;
  a.aborted += b.aborted;
  a.rollbacks += b.rollbacks;
  a.guard_trips += b.guard_trips;
  a.drift_incidents += b.drift_incidents;
  into.durations.insert(into.durations.end(), from.durations.begin(), from.durations.end());
  into.restores.insert(into.restores.end(), from.restores.begin(), from.restores.end());
}

bool in_window(std::int64_t at, std::int64_t since_ms, std::int64_t until_ms) {
  return at >= since_ms && at <= until_ms;
}

}  // namespace

std::optional<std::int64_t> nearest_rank(std::vector<std::int64_t> values, int percent) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  // rank = ceil(p/100 * n), 1-based; integer arithmetic keeps it exact.
  const auto n = static_cast<std::int64_t>(values.size());
  const std::int64_t rank = std::max<std::int64_t>(1, (percent * n + 99) / 100);
  return values[static_cast<std::size_t>(rank - 1)];
}

std::optional<std::int64_t> detected_at(const RolloutFacts& rollout) {
  if (rollout.guard_trip_at && rollout.rollback_at) return std::min(*rollout.guard_trip_at, *rollout.rollback_at);
  if (rollout.guard_trip_at) return rollout.guard_trip_at;
  return rollout.rollback_at;
}

std::optional<std::int64_t> restore_ms(const RolloutFacts& rollout) {
  if (!rollout.result || *rollout.result != "failed" || !rollout.finished_at) return std::nullopt;
  const auto detected = detected_at(rollout);
  if (!detected) return std::nullopt;
  const auto restored = rollout.restored_at ? *rollout.restored_at : *rollout.finished_at;
  return std::max<std::int64_t>(0, restored - *detected);
}

DriftWalk walk_drift(const std::vector<DriftEvent>& events) {
  DriftWalk out;
  std::set<Key> drifting;  // env, proxy
  for (const auto& event : events) {
    out.active.try_emplace(event.env, 0);
    const Key key{event.env, event.proxy};
    if (!event.found) {
      drifting.erase(key);
    } else if (drifting.insert(key).second) {
      out.incidents.push_back(event);
    }
  }
  for (const auto& [env, proxy] : drifting) ++out.active[env];
  return out;
}

Report compute_report(const History& history, std::int64_t since_ms, std::int64_t until_ms) {
  Report report;
  report.since_ms = since_ms;
  report.until_ms = until_ms;
  std::map<Key, Tally> groups;
  for (const auto& rollout : history.rollouts) {
    if (in_window(rollout.started_at, since_ms, until_ms)) add_rollout(groups[{rollout.app, rollout.env}], rollout);
  }
  for (const auto& trip : history.guard_trips) {
    if (in_window(trip.at, since_ms, until_ms)) ++groups[{trip.app, trip.env}].figures.guard_trips;
  }
  const auto drift = walk_drift(history.drift);
  std::map<std::string, EnvDrift> envs;
  for (const auto& [env, active] : drift.active) envs[env] = EnvDrift{env, 0, active};
  Tally total;
  std::int64_t env_only_incidents = 0;  // drift not tied to an app: only in totals and envs
  for (const auto& incident : drift.incidents) {
    if (!in_window(incident.at, since_ms, until_ms)) continue;
    ++envs[incident.env].incidents;
    if (incident.app.empty()) {
      ++env_only_incidents;
    } else {
      ++groups[{incident.app, incident.env}].figures.drift_incidents;
    }
  }
  for (auto& [key, tally] : groups) {
    merge(total, tally);
    report.groups.push_back({key.first, key.second, finish_figures(tally)});
  }
  total.figures.drift_incidents += env_only_incidents;
  report.totals = finish_figures(std::move(total));
  for (auto& [env, figures] : envs) report.environments.push_back(figures);
  return report;
}

}  // namespace switchyard::controller::analytics
