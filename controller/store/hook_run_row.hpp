#pragma once
// One hook or gate run of a rollout (table hook_runs, docs/hooks.md). Pure data, any thread.

#include <cstdint>
#include <optional>
#include <string>

namespace switchyard::controller::store {

struct HookRunRow {
  std::int64_t id = 0;  // assigned by add_hook_run()
  std::int64_t rollout_id = 0;
  std::string phase;     // pre_deploy, pre_traffic, per_step, post_deploy, on_rollback
  std::int64_t hook_index = 0;
  std::string kind;      // run | http
  std::string target;    // the command, or "METHOD url"
  std::int64_t started_at = 0;
  std::int64_t duration_ms = 0;
  bool ok = false;
  std::optional<std::int64_t> exit_code;
  std::optional<std::int64_t> http_status;
  std::string output;    // bounded by the runner (last 64 KiB)
  std::string error;
  friend bool operator==(const HookRunRow&, const HookRunRow&) = default;
};

}  // namespace switchyard::controller::store
