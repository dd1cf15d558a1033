// StateStore: opening the file and the rollout tables (rollouts, rollout_transitions).
// Analysis, instances and events are in state_store_records.cpp.
#include "controller/store/state_store.hpp"

#include "controller/store/schema.hpp"

namespace switchyard::controller::store {
namespace {

constexpr const char* kRolloutColumns =
    "id, app, env, version, baseline_version, strategy, state, step_index, weight, started_at, "
    "updated_at, finished_at, result, reason, forced_by, forced_reason";

RolloutRow read_rollout(const Statement& s) {
  RolloutRow row;
  row.id = s.int_at(0);
  row.app = s.text_at(1);
  row.env = s.text_at(2);
  row.version = s.text_at(3);
  row.baseline_version = s.text_at(4);
  row.strategy = s.text_at(5);
  row.state = s.text_at(6);
  row.step_index = s.int_at(7);
  row.weight = s.int_at(8);
  row.started_at = s.int_at(9);
  row.updated_at = s.int_at(10);
  row.finished_at = s.optional_int_at(11);
  row.result = s.optional_text_at(12);
  row.reason = s.text_at(13);
  row.forced_by = s.optional_text_at(14);
  row.forced_reason = s.optional_text_at(15);
  return row;
}

Result<std::vector<RolloutRow>> collect_rollouts(Statement& s) {
  std::vector<RolloutRow> rows;
  int rc = SQLITE_ROW;
  while ((rc = s.step()) == SQLITE_ROW) rows.push_back(read_rollout(s));
  if (rc != SQLITE_DONE) return Result<std::vector<RolloutRow>>::failure(s.error());
  return rows;
}

Result<std::optional<RolloutRow>> first_rollout(Statement& s) {
  auto rows = collect_rollouts(s);
  if (!rows.ok()) return Result<std::optional<RolloutRow>>::failure(rows.error());
  if (rows.value().empty()) return std::optional<RolloutRow>{};
  return std::optional<RolloutRow>{std::move(rows.value().front())};
}

// The state of an unfinished rollout, or an error naming why it cannot change.
Result<std::string> active_state(Database& db, std::int64_t id) {
  Statement s(db, "SELECT state, finished_at FROM rollouts WHERE id = ?");
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return Result<std::string>::failure("no rollout " + std::to_string(id));
  if (rc != SQLITE_ROW) return Result<std::string>::failure(s.error());
  if (s.optional_int_at(1)) return Result<std::string>::failure("rollout " + std::to_string(id) + " is finished");
  return s.text_at(0);
}

// "" once the connection is in WAL mode. The statement is finalised on return: an unfinished
// statement would keep later transactions from committing.
std::string enable_wal(Database& db) {
  Statement wal(db, "PRAGMA journal_mode = WAL");
  if (wal.step() != SQLITE_ROW) return "cannot enable WAL: " + wal.error();
  if (wal.text_at(0) != "wal") return "cannot enable WAL (journal mode is " + wal.text_at(0) + ")";
  return {};
}

bool is_result(const std::string& result) {
  return result == kResultSucceeded || result == kResultFailed || result == kResultAborted;
}

}  // namespace

Status StateStore::open(const std::string& path, StoreOptions options) {
  if (db_.is_open()) return {"state file '" + path + "': store is already open"};
  auto fail = [&](const std::string& what) {
    db_.close();  // a half-opened file is not a usable store
    return Status{"state file '" + path + "': " + what};
  };
  if (auto error = db_.open(path, options.busy_timeout_ms); !error.empty()) return fail("cannot open: " + error);
  // WAL: readers (the API) never block the writer; FULL: a committed transition survives power loss too.
  if (auto error = enable_wal(db_); !error.empty()) return fail(error);
  if (auto error = db_.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON"); !error.empty()) {
    return fail(error);
  }
  if (auto error = apply_migrations(db_); !error.empty()) return fail(error);
  path_ = path;
  return {};
}

Status StateStore::insert_transition(std::int64_t rollout_id, const std::string& from_state,
                                     const std::string& to_state, std::int64_t step_index, std::int64_t weight,
                                     const std::string& reason, std::int64_t at) {
  Statement s(db_,
              "INSERT INTO rollout_transitions (rollout_id, seq, at, from_state, to_state, step_index, weight, reason) "
              "VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM rollout_transitions WHERE rollout_id = ?1), "
              "?2, ?3, ?4, ?5, ?6, ?7)");
  s.bind(1, rollout_id).bind(2, at).bind(3, from_state).bind(4, to_state).bind(5, step_index);
  s.bind(6, weight).bind(7, reason);
  return {s.run()};
}

Result<std::int64_t> StateStore::create_rollout(const RolloutRow& row) {
  using R = Result<std::int64_t>;
  Transaction tx(db_);
  if (!tx.begin_error().empty()) return R::failure(tx.begin_error());
  Statement s(db_,
              "INSERT INTO rollouts (app, env, version, baseline_version, strategy, state, step_index, weight, "
              "started_at, updated_at, reason, forced_by, forced_reason) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, row.app).bind(2, row.env).bind(3, row.version).bind(4, row.baseline_version).bind(5, row.strategy);
  s.bind(6, row.state).bind(7, row.step_index).bind(8, row.weight).bind(9, row.started_at);
  s.bind(10, row.started_at).bind(11, row.reason).bind(12, row.forced_by).bind(13, row.forced_reason);
  if (s.step() != SQLITE_DONE) {
    if (sqlite3_extended_errcode(db_.handle()) == SQLITE_CONSTRAINT_UNIQUE) {
      return R::failure("app '" + row.app + "' already has an active rollout in '" + row.env + "'");
    }
    return R::failure(s.error());
  }
  const std::int64_t id = sqlite3_last_insert_rowid(db_.handle());
  if (auto status = insert_transition(id, "", row.state, row.step_index, row.weight, row.reason, row.started_at);
      !status.ok()) {
    return R::failure(status.error);
  }
  if (auto error = tx.commit(); !error.empty()) return R::failure(error);
  return id;
}

Status StateStore::update_rollout_state(std::int64_t id, const std::string& state, std::int64_t step_index,
                                        std::int64_t weight, const std::string& reason, std::int64_t at) {
  Transaction tx(db_);
  if (!tx.begin_error().empty()) return {tx.begin_error()};
  auto from = active_state(db_, id);
  if (!from.ok()) return {from.error()};
  Statement s(db_,
              "UPDATE rollouts SET state = ?, step_index = ?, weight = ?, reason = ?, updated_at = ? WHERE id = ?");
  s.bind(1, state).bind(2, step_index).bind(3, weight).bind(4, reason).bind(5, at).bind(6, id);
  if (auto error = s.run(); !error.empty()) return {error};
  if (auto status = insert_transition(id, from.value(), state, step_index, weight, reason, at); !status.ok()) {
    return status;
  }
  return {tx.commit()};
}

Status StateStore::finish_rollout(std::int64_t id, const std::string& result, const std::string& reason,
                                  std::int64_t at) {
  if (!is_result(result)) return {"result must be succeeded, failed or aborted, got '" + result + "'"};
  Transaction tx(db_);
  if (!tx.begin_error().empty()) return {tx.begin_error()};
  if (auto state = active_state(db_, id); !state.ok()) return {state.error()};
  Statement s(db_, "UPDATE rollouts SET finished_at = ?, updated_at = ?, result = ?, reason = ? WHERE id = ?");
  s.bind(1, at).bind(2, at).bind(3, result).bind(4, reason).bind(5, id);
  if (auto error = s.run(); !error.empty()) return {error};
  return {tx.commit()};
}

Result<std::optional<RolloutRow>> StateStore::get_rollout(std::int64_t id) {
  Statement s(db_, (std::string("SELECT ") + kRolloutColumns + " FROM rollouts WHERE id = ?").c_str());
  s.bind(1, id);
  return first_rollout(s);
}

Result<std::optional<RolloutRow>> StateStore::active_rollout(const std::string& app, const std::string& env) {
  Statement s(db_, (std::string("SELECT ") + kRolloutColumns +
                    " FROM rollouts WHERE app = ? AND env = ? AND finished_at IS NULL")
                       .c_str());
  s.bind(1, app).bind(2, env);
  return first_rollout(s);
}

Result<std::vector<RolloutRow>> StateStore::active_rollouts() {
  Statement s(db_, (std::string("SELECT ") + kRolloutColumns + " FROM rollouts WHERE finished_at IS NULL ORDER BY id")
                       .c_str());
  return collect_rollouts(s);
}

Result<std::vector<RolloutRow>> StateStore::list_rollouts(const std::string& app, std::int64_t limit) {
  Statement s(db_, (std::string("SELECT ") + kRolloutColumns +
                    " FROM rollouts WHERE (?1 = '' OR app = ?1) ORDER BY id DESC LIMIT ?2")
                       .c_str());
  s.bind(1, app).bind(2, limit);
  return collect_rollouts(s);
}

Result<std::vector<TransitionRow>> StateStore::transitions(std::int64_t rollout_id) {
  Statement s(db_,
              "SELECT rollout_id, seq, at, from_state, to_state, step_index, weight, reason "
              "FROM rollout_transitions WHERE rollout_id = ? ORDER BY seq");
  s.bind(1, rollout_id);
  std::vector<TransitionRow> rows;
  int rc = SQLITE_ROW;
  while ((rc = s.step()) == SQLITE_ROW) {
    rows.push_back(TransitionRow{s.int_at(0), s.int_at(1), s.int_at(2), s.text_at(3), s.text_at(4), s.int_at(5),
                                 s.int_at(6), s.text_at(7)});
  }
  if (rc != SQLITE_DONE) return Result<std::vector<TransitionRow>>::failure(s.error());
  return rows;
}

Result<bool> StateStore::has_succeeded(const std::string& app, const std::string& env, const std::string& version) {
  Statement s(db_, "SELECT 1 FROM rollouts WHERE app = ? AND env = ? AND version = ? AND result = 'succeeded' LIMIT 1");
  s.bind(1, app).bind(2, env).bind(3, version);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Result<bool>::failure(s.error());
}

}  // namespace switchyard::controller::store

namespace switchyard::controller::store {

Status StateStore::save_snapshot(std::int64_t id, const std::string& snapshot_json) {
  Statement s(db_, "UPDATE rollouts SET snapshot = ? WHERE id = ?");
  s.bind(1, snapshot_json).bind(2, id);
  if (auto error = s.run(); !error.empty()) return {error};
  if (sqlite3_changes(db_.handle()) == 0) return {"no rollout " + std::to_string(id)};
  return {};
}

Result<std::string> StateStore::snapshot(std::int64_t id) {
  Statement s(db_, "SELECT snapshot FROM rollouts WHERE id = ?");
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return s.text_at(0);
  if (rc == SQLITE_DONE) return Result<std::string>::failure("no rollout " + std::to_string(id));
  return Result<std::string>::failure(s.error());
}

}  // namespace switchyard::controller::store
