#pragma once
// The stored history analytics are computed from: one fact row per rollout plus the guard-trip
// and drift events, as the StateStore reads them (controller/store/analytics_queries.cpp).
// Times are Unix milliseconds. Pure data, any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::controller::analytics {

struct RolloutFacts {
  std::int64_t id = 0;
  std::string app;
  std::string env;
  std::string strategy;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> finished_at;
  std::optional<std::string> result;          // succeeded | failed | aborted; empty while active
  std::optional<std::int64_t> rollback_at;    // first transition into rolling_back
  std::optional<std::int64_t> restored_at;    // first rolling_back transition with weight 0
  std::optional<std::int64_t> guard_trip_at;  // first guard_tripped event of this rollout
};

struct GuardTrip {
  std::int64_t at = 0;
  std::string app;
  std::string env;
};

// drift_found / drift_resolved, of one proxy of one environment.
struct DriftEvent {
  std::int64_t at = 0;
  bool found = false;  // drift_found (else drift_resolved)
  std::string app;     // empty unless the drift names an app
  std::string env;
  std::string proxy;
};

struct History {
  std::vector<RolloutFacts> rollouts;  // any order
  std::vector<GuardTrip> guard_trips;  // any order
  std::vector<DriftEvent> drift;       // oldest first, the whole history (active state needs it)
};

// What the store is asked for: rollouts started and trips since `since_ms`; empty = any.
struct HistoryQuery {
  std::int64_t since_ms = 0;
  std::string app;
  std::string env;
};

}  // namespace switchyard::controller::analytics
