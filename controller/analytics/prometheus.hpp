#pragma once
// The controller's own GET /metrics (Prometheus text exposition 0.0.4): rollouts in progress and
// their outcomes, deployment and rollback durations, guard trips and drift, all derived from the
// stored history at scrape time so that counters survive a restart. The metric names are listed
// in docs/analytics.md and are a contract. Pure; any thread.

#include <string>
#include <vector>

#include "controller/analytics/history.hpp"

namespace switchyard::controller::analytics {

struct MetricsInput {
  const History* history = nullptr;  // the whole history (since 0)
  std::vector<std::string> apps;     // configured: their series exist at 0 before any rollout
  std::vector<std::string> envs;
  std::string version;               // switchyard_controller_build_info{version}
};

std::string render_metrics(const MetricsInput& input);

// Label value escaping of the exposition format: \ " and newline.
std::string escape_label(const std::string& value);

// Upper bounds (seconds) of the histograms' buckets, +Inf implied.
inline const std::vector<double> kDeploymentBuckets{30, 60, 120, 300, 600, 1200, 1800, 3600, 7200};
inline const std::vector<double> kRollbackBuckets{1, 5, 10, 30, 60, 120, 300, 600};

}  // namespace switchyard::controller::analytics
