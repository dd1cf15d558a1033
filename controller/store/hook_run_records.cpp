// StateStore: the hook_runs table.
#include "controller/store/state_store.hpp"

namespace switchyard::controller::store {

Result<std::int64_t> StateStore::add_hook_run(const HookRunRow& row) {
  Statement s(db_,
              "INSERT INTO hook_runs (rollout_id, phase, hook_index, kind, target, started_at, duration_ms, ok, "
              "exit_code, http_status, output, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, row.rollout_id).bind(2, row.phase).bind(3, row.hook_index).bind(4, row.kind).bind(5, row.target);
  s.bind(6, row.started_at).bind(7, row.duration_ms).bind(8, std::int64_t{row.ok ? 1 : 0});
  s.bind(9, row.exit_code).bind(10, row.http_status).bind(11, row.output).bind(12, row.error);
  if (auto error = s.run(); !error.empty()) return Result<std::int64_t>::failure(error);
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.handle()));
}

Result<std::vector<HookRunRow>> StateStore::hook_runs(std::int64_t rollout_id) {
  Statement s(db_,
              "SELECT id, rollout_id, phase, hook_index, kind, target, started_at, duration_ms, ok, exit_code, "
              "http_status, output, error FROM hook_runs WHERE rollout_id = ? ORDER BY id");
  s.bind(1, rollout_id);
  std::vector<HookRunRow> rows;
  int rc = SQLITE_ROW;
  while ((rc = s.step()) == SQLITE_ROW) {
    rows.push_back(HookRunRow{s.int_at(0), s.int_at(1), s.text_at(2), s.int_at(3), s.text_at(4), s.text_at(5),
                              s.int_at(6), s.int_at(7), s.int_at(8) != 0, s.optional_int_at(9),
                              s.optional_int_at(10), s.text_at(11), s.text_at(12)});
  }
  if (rc != SQLITE_DONE) return Result<std::vector<HookRunRow>>::failure(s.error());
  return rows;
}

}  // namespace switchyard::controller::store
