// Report -> JSON: absent figures (nothing to measure) are null, never 0.
#include "controller/analytics/report_json.hpp"

namespace switchyard::controller::analytics {
namespace {

template <typename T>
boost::json::value or_null(const std::optional<T>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object figures_json(const Figures& f) {
  return {{"deployments", f.deployments},
          {"in_progress", f.in_progress},
          {"finished", f.finished},
          {"succeeded", f.succeeded},
          {"failed", f.failed},
          {"aborted", f.aborted},
          {"success_rate", or_null(f.success_rate)},
          {"change_failure_rate", or_null(f.change_failure_rate)},
          {"mean_duration_ms", or_null(f.mean_duration_ms)},
          {"p90_duration_ms", or_null(f.p90_duration_ms)},
          {"rollbacks", f.rollbacks},
          {"restores", f.restores},
          {"mean_time_to_restore_ms", or_null(f.mean_time_to_restore_ms)},
          {"guard_trips", f.guard_trips},
          {"drift_incidents", f.drift_incidents}};
}

boost::json::object report_json(const Report& report) {
  boost::json::array groups;
  for (const auto& group : report.groups) {
    auto out = figures_json(group.figures);
    out["app"] = group.app;
    out["env"] = group.env;
    groups.push_back(std::move(out));
  }
  boost::json::array envs;
  for (const auto& env : report.environments) {
    envs.push_back({{"env", env.env}, {"drift_incidents", env.incidents}, {"drift_active", env.active}});
  }
  return {{"since_ms", report.since_ms},
          {"until_ms", report.until_ms},
          {"groups", groups},
          {"totals", figures_json(report.totals)},
          {"environments", envs}};
}

}  // namespace switchyard::controller::analytics
