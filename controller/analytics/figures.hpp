#pragma once
// Deployment analytics (docs/analytics.md): from the stored history to figures per app and
// environment and in total, over a window [since, until]. Every definition is in
// docs/analytics.md; the functions here are the one implementation of them. Pure; any thread.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/analytics/history.hpp"

namespace switchyard::controller::analytics {

struct Figures {
  std::int64_t deployments = 0;  // rollouts started in the window
  std::int64_t in_progress = 0;  // of those, not finished
  std::int64_t finished = 0;
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
  std::int64_t aborted = 0;
  std::optional<double> success_rate;         // succeeded / finished
  std::optional<double> change_failure_rate;  // failed / (succeeded + failed)
  std::optional<std::int64_t> mean_duration_ms;  // finished rollouts, started -> finished
  std::optional<std::int64_t> p90_duration_ms;   // nearest rank
  std::int64_t rollbacks = 0;                 // rollouts that entered rolling_back
  std::int64_t restores = 0;                  // failed rollouts with a measured restore time
  std::optional<std::int64_t> mean_time_to_restore_ms;
  std::int64_t guard_trips = 0;
  std::int64_t drift_incidents = 0;
};

struct GroupFigures {
  std::string app;
  std::string env;
  Figures figures;
};

struct EnvDrift {
  std::string env;
  std::int64_t incidents = 0;  // in the window
  std::int64_t active = 0;     // proxies in drift now (as of the last event)
};

struct Report {
  std::int64_t since_ms = 0;
  std::int64_t until_ms = 0;
  std::vector<GroupFigures> groups;  // by app, then env
  Figures totals;
  std::vector<EnvDrift> environments;  // by env
};

Report compute_report(const History& history, std::int64_t since_ms, std::int64_t until_ms);

// Nearest-rank percentile (`percent` in 1..100) of unsorted values; nullopt when empty.
std::optional<std::int64_t> nearest_rank(std::vector<std::int64_t> values, int percent);
// When the failure of `rollout` was detected: the earlier of its guard trip and its rollback.
std::optional<std::int64_t> detected_at(const RolloutFacts& rollout);
// How long the baseline took to get its traffic back; nullopt unless the rollout failed after a
// detected failure. Restored = the first rolling_back transition at weight 0, else the finish.
std::optional<std::int64_t> restore_ms(const RolloutFacts& rollout);
// A drift incident is a drift_found of a proxy not already in drift (repeated finds while it
// stays in drift are one incident). `incidents`: those events, oldest first; `active`: proxies
// whose last event is drift_found, per env (every env seen, 0 included).
struct DriftWalk {
  std::vector<DriftEvent> incidents;
  std::map<std::string, std::int64_t> active;
};
DriftWalk walk_drift(const std::vector<DriftEvent>& events);

}  // namespace switchyard::controller::analytics
