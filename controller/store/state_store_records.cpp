// StateStore: analysis results, instances and the event log.
#include "controller/store/state_store.hpp"

namespace switchyard::controller::store {
namespace {

constexpr const char* kInstanceSelect =
    "SELECT id, app, env, version, instance_index, pid, port, state, log_path, config_hash, started_at, "
    "stopped_at, proc_start_time FROM instances ";

InstanceRow read_instance(const Statement& s) {
  InstanceRow row;
  row.id = s.int_at(0);
  row.app = s.text_at(1);
  row.env = s.text_at(2);
  row.version = s.text_at(3);
  row.instance_index = s.int_at(4);
  row.pid = s.int_at(5);
  row.port = s.int_at(6);
  row.state = s.text_at(7);
  row.log_path = s.text_at(8);
  row.config_hash = s.text_at(9);
  row.started_at = s.int_at(10);
  row.stopped_at = s.optional_int_at(11);
  row.proc_start_time = s.int_at(12);
  return row;
}

// Steps `s` to the end, turning each row into a T with `read`.
template <typename T, typename Read>
Result<std::vector<T>> collect(Statement& s, Read read) {
  std::vector<T> rows;
  int rc = SQLITE_ROW;
  while ((rc = s.step()) == SQLITE_ROW) rows.push_back(read(s));
  if (rc != SQLITE_DONE) return Result<std::vector<T>>::failure(s.error());
  return rows;
}

Result<std::int64_t> inserted_id(Statement& s, Database& db) {
  if (auto error = s.run(); !error.empty()) return Result<std::int64_t>::failure(error);
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db.handle()));
}

}  // namespace

Result<std::int64_t> StateStore::add_analysis(const AnalysisRow& row) {
  Statement s(db_,
              "INSERT INTO analysis_results (rollout_id, step_index, at, verdict, figures, reason) "
              "VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, row.rollout_id).bind(2, row.step_index).bind(3, row.at).bind(4, row.verdict);
  s.bind(5, row.figures_json).bind(6, row.reason);
  return inserted_id(s, db_);
}

Result<std::vector<AnalysisRow>> StateStore::analyses(std::int64_t rollout_id) {
  Statement s(db_,
              "SELECT id, rollout_id, step_index, at, verdict, figures, reason FROM analysis_results "
              "WHERE rollout_id = ? ORDER BY id");
  s.bind(1, rollout_id);
  return collect<AnalysisRow>(s, [](const Statement& r) {
    return AnalysisRow{r.int_at(0), r.int_at(1), r.int_at(2), r.int_at(3), r.text_at(4), r.text_at(5), r.text_at(6)};
  });
}

Result<std::int64_t> StateStore::add_instance(const InstanceRow& row) {
  Statement s(db_,
              "INSERT INTO instances (app, env, version, instance_index, pid, port, state, log_path, config_hash, "
              "started_at, stopped_at, proc_start_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, row.app).bind(2, row.env).bind(3, row.version).bind(4, row.instance_index).bind(5, row.pid);
  s.bind(6, row.port).bind(7, row.state).bind(8, row.log_path).bind(9, row.config_hash);
  s.bind(10, row.started_at).bind(11, row.stopped_at).bind(12, row.proc_start_time);
  return inserted_id(s, db_);
}

Status StateStore::update_instance(const InstanceRow& row) {
  Statement s(db_,
              "UPDATE instances SET pid = ?, port = ?, state = ?, log_path = ?, config_hash = ?, stopped_at = ?, "
              "proc_start_time = ? WHERE id = ?");
  s.bind(1, row.pid).bind(2, row.port).bind(3, row.state).bind(4, row.log_path).bind(5, row.config_hash);
  s.bind(6, row.stopped_at).bind(7, row.proc_start_time).bind(8, row.id);
  if (auto error = s.run(); !error.empty()) return {error};
  if (sqlite3_changes(db_.handle()) == 0) return {"no instance " + std::to_string(row.id)};
  return {};
}

Result<std::optional<InstanceRow>> StateStore::get_instance(std::int64_t id) {
  Statement s(db_, (std::string(kInstanceSelect) + "WHERE id = ?").c_str());
  s.bind(1, id);
  auto rows = collect<InstanceRow>(s, read_instance);
  if (!rows.ok()) return Result<std::optional<InstanceRow>>::failure(rows.error());
  if (rows.value().empty()) return std::optional<InstanceRow>{};
  return std::optional<InstanceRow>{std::move(rows.value().front())};
}

Result<std::vector<InstanceRow>> StateStore::list_instances(const std::string& app, const std::string& env,
                                                            const std::string& version) {
  Statement s(db_, (std::string(kInstanceSelect) + "WHERE app = ? AND env = ? AND version = ? ORDER BY id").c_str());
  s.bind(1, app).bind(2, env).bind(3, version);
  return collect<InstanceRow>(s, read_instance);
}

Result<std::vector<InstanceRow>> StateStore::live_instances() {
  Statement s(db_, (std::string(kInstanceSelect) +
                    "WHERE state IN ('starting', 'healthy', 'stopping') ORDER BY id")
                       .c_str());
  return collect<InstanceRow>(s, read_instance);
}

Result<std::int64_t> StateStore::append_event(const EventRow& row) {
  Statement s(db_, "INSERT INTO events (at, kind, app, env, rollout_id, detail) VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, row.at).bind(2, row.kind).bind(3, row.app).bind(4, row.env).bind(5, row.rollout_id);
  s.bind(6, row.detail_json);
  return inserted_id(s, db_);
}

Result<std::vector<EventRow>> StateStore::events_since(std::int64_t after_seq, std::int64_t limit) {
  Statement s(db_,
              "SELECT seq, at, kind, app, env, rollout_id, detail FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
  s.bind(1, after_seq).bind(2, limit);
  return collect<EventRow>(s, [](const Statement& r) {
    return EventRow{r.int_at(0), r.int_at(1), r.text_at(2), r.text_at(3), r.text_at(4), r.optional_int_at(5),
                    r.text_at(6)};
  });
}

}  // namespace switchyard::controller::store
