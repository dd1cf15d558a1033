// The rollout events the engine records (and hands to its listeners): started, each weight step,
// paused and resumed, rolling back, and the outcome (recorded in finish()). Kinds are part of the
// controller API (docs/controller-api.md "Events").
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "controller/engine/rollout_engine.hpp"

namespace switchyard::controller::engine {

void RolloutEngine::record_event(store::EventRow row) {
  if (row.at == 0) row.at = now_ms();
  auto appended = store_.append_event(row);
  if (!appended.ok()) {
    spdlog::error("cannot record event {}: {}", row.kind, appended.error());
  } else {
    row.seq = appended.value();
  }
  for (const auto& listener : listeners_) listener(row);
}

void RolloutEngine::record_rollout_event(const store::RolloutRow& row, const std::string& kind,
                                         boost::json::object detail) {
  store::EventRow event;
  event.kind = kind;
  event.app = row.app;
  event.env = row.env;
  event.rollout_id = row.id;
  event.detail_json = boost::json::serialize(detail);
  record_event(std::move(event));
}

// Called with the snapshot about to be persisted; active.persisted is the previous one.
void RolloutEngine::record_transition_events(const Active& active, const rollout::RolloutSnapshot& now) {
  const auto& before = active.persisted;
  const auto& spec = active.rollout.spec();
  store::RolloutRow row;
  row.id = active.id;
  row.app = spec.app;
  row.env = spec.env;
  const auto detail = [&] {
    return boost::json::object{{"version", spec.version},   {"baseline", spec.baseline_version},
                               {"phase", now.phase},        {"step_index", now.step_index},
                               {"weight", now.weight},      {"reason", now.reason}};
  };
  if (now.phase == "rolling_back" && before.phase != "rolling_back") {
    record_rollout_event(row, "rollout_rolling_back", detail());
  }
  if (now.paused != before.paused) record_rollout_event(row, now.paused ? "rollout_paused" : "rollout_resumed", detail());
  if (now.weight != before.weight && now.phase != "rolling_back") record_rollout_event(row, "rollout_step", detail());
}

void RolloutEngine::record_guard_trip(const std::string& env, const std::string& route, const std::string& reason,
                                     std::optional<std::int64_t> rollout_id) {
  store::EventRow event;
  event.kind = "guard_tripped";
  event.env = env;
  for (const auto& app : config_.apps) {
    if (app.route == route) event.app = app.name;
  }
  event.rollout_id = rollout_id;
  boost::json::object detail{{"route", route}, {"reason", reason}};
  detail["rollout_id"] = rollout_id ? boost::json::value(*rollout_id) : boost::json::value(nullptr);
  event.detail_json = boost::json::serialize(detail);
  record_event(std::move(event));
}

}  // namespace switchyard::controller::engine
