// RolloutEngine::record_hook_runs: what the executor's hooks did, into the store (hook_runs) on
// the control thread; each failing hook is also a `hook_failed` event (webhooks hear of it).
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "controller/engine/rollout_engine.hpp"

namespace switchyard::controller::engine {

void RolloutEngine::record_hook_runs(std::int64_t id, const std::vector<HookRun>& runs) {
  for (const auto& run : runs) {
    store::HookRunRow row;
    row.rollout_id = id;
    row.phase = run.phase;
    row.hook_index = run.hook_index;
    row.kind = run.kind;
    row.target = run.target;
    row.started_at = run.started_at;
    row.duration_ms = run.duration_ms;
    row.ok = run.ok;
    if (run.exit_code) row.exit_code = *run.exit_code;
    if (run.http_status) row.http_status = *run.http_status;
    row.output = run.output;
    row.error = run.error;
    if (auto added = store_.add_hook_run(row); !added.ok()) {
      spdlog::error("rollout {}: cannot record hook run: {}", id, added.error());
    }
    spdlog::info("rollout {}: {} hook {} {} in {} ms{}", id, run.phase, run.hook_index, run.ok ? "ok" : "FAILED",
                 run.duration_ms, run.ok ? "" : ": " + run.error);
    if (run.ok) continue;
    auto rollout = store_.get_rollout(id);
    if (!rollout.ok() || !rollout.value()) continue;
    boost::json::object detail{{"version", rollout.value()->version},
                               {"baseline", rollout.value()->baseline_version},
                               {"phase", run.phase},
                               {"hook_index", run.hook_index},
                               {"target", run.target},
                               {"error", run.error}};
    record_rollout_event(*rollout.value(), "hook_failed", std::move(detail));
  }
}

}  // namespace switchyard::controller::engine
