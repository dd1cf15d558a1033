// render_metrics: one family at a time, series sorted by labels (deterministic output).
#include "controller/analytics/prometheus.hpp"

#include <map>
#include <set>
#include <sstream>

#include "controller/analytics/figures.hpp"

namespace switchyard::controller::analytics {
namespace {

using Key = std::pair<std::string, std::string>;  // app, env

// Milliseconds as seconds with exactly three decimals: exact, no floating-point noise.
std::string seconds_text(std::int64_t ms) {
  if (ms < 0) ms = 0;
  const auto frac = std::to_string(ms % 1000);
  return std::to_string(ms / 1000) + "." + std::string(3 - frac.size(), '0') + frac;
}

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string labels(const Key& key) {
  return "app=\"" + escape_label(key.first) + "\",env=\"" + escape_label(key.second) + "\"";
}

void header(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

struct Series {
  std::int64_t in_progress = 0;
  std::map<std::string, std::int64_t> results{{"succeeded", 0}, {"failed", 0}, {"aborted", 0}};
  std::vector<std::int64_t> durations;
  std::vector<std::int64_t> restores;
  std::int64_t guard_trips = 0;
};

void histogram(std::ostringstream& out, const char* name, const std::map<Key, Series>& series,
               const std::vector<double>& bounds, std::vector<std::int64_t> Series::*values) {
  for (const auto& [key, s] : series) {
    const auto& samples = s.*values;
    std::int64_t sum_ms = 0;
    for (auto v : samples) sum_ms += v;
    for (double bound : bounds) {
      std::int64_t count = 0;
      for (auto v : samples) count += static_cast<double>(v) <= bound * 1000.0 ? 1 : 0;
      out << name << "_bucket{" << labels(key) << ",le=\"" << number_text(bound) << "\"} " << count << '\n';
    }
    out << name << "_bucket{" << labels(key) << ",le=\"+Inf\"} " << samples.size() << '\n';
    out << name << "_sum{" << labels(key) << "} " << seconds_text(sum_ms) << '\n';
    out << name << "_count{" << labels(key) << "} " << samples.size() << '\n';
  }
}

std::map<Key, Series> collect(const MetricsInput& input) {
  std::map<Key, Series> series;
  for (const auto& app : input.apps) {
    for (const auto& env : input.envs) series[{app, env}];
  }
  for (const auto& rollout : input.history->rollouts) {
    auto& s = series[{rollout.app, rollout.env}];
    if (!rollout.finished_at || !rollout.result) {
      ++s.in_progress;
      continue;
    }
    ++s.results[*rollout.result];
    s.durations.push_back(*rollout.finished_at - rollout.started_at);
    if (auto restore = restore_ms(rollout)) s.restores.push_back(*restore);
  }
  for (const auto& trip : input.history->guard_trips) ++series[{trip.app, trip.env}].guard_trips;
  return series;
}

void drift_families(std::ostringstream& out, const MetricsInput& input) {
  const auto drift = walk_drift(input.history->drift);
  std::map<std::string, std::int64_t> incidents;
  std::map<std::string, std::int64_t> active = drift.active;
  for (const auto& env : input.envs) {
    incidents[env];
    active.try_emplace(env, 0);
  }
  for (const auto& incident : drift.incidents) ++incidents[incident.env];
  header(out, "switchyard_controller_drift_incidents_total", "counter",
         "Drift incidents found (a proxy's live configuration diverging from the desired one).");
  for (const auto& [env, n] : incidents) {
    out << "switchyard_controller_drift_incidents_total{env=\"" << escape_label(env) << "\"} " << n << '\n';
  }
  header(out, "switchyard_controller_drift_active", "gauge", "Proxies of the environment in drift now.");
  for (const auto& [env, n] : active) {
    out << "switchyard_controller_drift_active{env=\"" << escape_label(env) << "\"} " << n << '\n';
  }
}

}  // namespace

std::string escape_label(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_metrics(const MetricsInput& input) {
  static const History kEmpty;
  MetricsInput in = input;
  if (!in.history) in.history = &kEmpty;
  const auto series = collect(in);
  std::ostringstream out;
  header(out, "switchyard_controller_up", "gauge", "1 while the controller answers.");
  out << "switchyard_controller_up 1\n";
  header(out, "switchyard_controller_build_info", "gauge", "The controller's version, as a label; always 1.");
  out << "switchyard_controller_build_info{version=\"" << escape_label(in.version) << "\"} 1\n";
  header(out, "switchyard_controller_rollouts_in_progress", "gauge", "Rollouts started and not finished.");
  for (const auto& [key, s] : series) {
    out << "switchyard_controller_rollouts_in_progress{" << labels(key) << "} " << s.in_progress << '\n';
  }
  header(out, "switchyard_controller_rollouts_total", "counter", "Finished rollouts by result.");
  for (const auto& [key, s] : series) {
    for (const auto& [result, n] : s.results) {
      out << "switchyard_controller_rollouts_total{" << labels(key) << ",result=\"" << escape_label(result) << "\"} "
          << n << '\n';
    }
  }
  header(out, "switchyard_controller_deployment_duration_seconds", "histogram",
         "Finished rollouts, from start to finish.");
  histogram(out, "switchyard_controller_deployment_duration_seconds", series, kDeploymentBuckets, &Series::durations);
  header(out, "switchyard_controller_rollback_duration_seconds", "histogram",
         "Failed rollouts, from failure detection to the baseline restored.");
  histogram(out, "switchyard_controller_rollback_duration_seconds", series, kRollbackBuckets, &Series::restores);
  header(out, "switchyard_controller_guard_trips_total", "counter", "Guard trips reported by the proxies.");
  for (const auto& [key, s] : series) {
    out << "switchyard_controller_guard_trips_total{" << labels(key) << "} " << s.guard_trips << '\n';
  }
  drift_families(out, in);
  return out.str();
}

}  // namespace switchyard::controller::analytics
