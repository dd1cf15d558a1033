// JSON shapes of the controller API: ROLLOUT, responses and errors.
#include <boost/json/serialize.hpp>

#include "controller/api/api_handlers.hpp"

namespace switchyard::controller::api {

ApiResponse json_response(int status, const boost::json::value& body) {
  return {status, boost::json::serialize(body)};
}

ApiResponse error_response(int status, const std::string& message) {
  return json_response(status, boost::json::object{{"error", message}});
}

namespace {
boost::json::value optional_int(const std::optional<std::int64_t>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}
boost::json::value optional_text(const std::optional<std::string>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}
}  // namespace

boost::json::object rollout_json(const store::RolloutRow& row, engine::RolloutEngine& engine) {
  const auto snapshot = engine.snapshot_of(row.id);
  boost::json::object out;
  out["id"] = row.id;
  out["app"] = row.app;
  out["env"] = row.env;
  out["version"] = row.version;
  out["baseline_version"] = row.baseline_version;
  out["strategy"] = row.strategy;
  out["state"] = snapshot ? snapshot->phase : row.result ? std::string("finished") : row.state;
  out["step_index"] = snapshot ? static_cast<std::int64_t>(snapshot->step_index) : row.step_index;
  out["weight"] = snapshot ? static_cast<std::int64_t>(snapshot->weight) : row.weight;
  out["paused"] = snapshot ? snapshot->paused : false;
  out["started_ms"] = row.started_at;
  out["updated_ms"] = row.updated_at;
  out["finished_ms"] = optional_int(row.finished_at);
  out["result"] = optional_text(row.result);
  out["reason"] = row.reason;
  out["forced_by"] = optional_text(row.forced_by);
  out["forced_reason"] = optional_text(row.forced_reason);
  out["promoted_from"] = optional_text(engine.store().promoted_from(row.id).value());
  return out;
}

}  // namespace switchyard::controller::api
