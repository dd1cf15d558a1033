// StateStore: drift baselines and incidents (docs/drift.md).
#include "controller/store/state_store.hpp"

namespace switchyard::controller::store {
namespace {

template <typename T, typename Read>
Result<std::vector<T>> collect_rows(Statement& s, Read read) {
  std::vector<T> rows;
  int rc = SQLITE_ROW;
  while ((rc = s.step()) == SQLITE_ROW) rows.push_back(read(s));
  if (rc != SQLITE_DONE) return Result<std::vector<T>>::failure(s.error());
  return rows;
}

Result<std::int64_t> run_insert(Statement& s, Database& db) {
  if (auto error = s.run(); !error.empty()) return Result<std::int64_t>::failure(error);
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db.handle()));
}

}  // namespace

Result<std::int64_t> StateStore::add_drift_baseline(const DriftBaselineRow& row) {
  Statement s(db_,
              "INSERT INTO drift_baselines (env, proxy, taken_at, config_hash, desired_json, reason) "
              "VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, row.env).bind(2, row.proxy).bind(3, row.taken_at).bind(4, row.config_hash);
  s.bind(5, row.desired_json).bind(6, row.reason);
  return run_insert(s, db_);
}

Result<std::int64_t> StateStore::open_drift_incident(const DriftIncidentRow& row) {
  Statement s(db_, "INSERT INTO drift_incidents (env, proxy, found_at, diff, detected_ms) VALUES (?, ?, ?, ?, ?)");
  s.bind(1, row.env).bind(2, row.proxy).bind(3, row.found_at).bind(4, row.diff).bind(5, row.detected_ms);
  return run_insert(s, db_);
}

Status StateStore::resolve_drift_incidents(const std::string& env, const std::string& proxy, std::int64_t at,
                                           const std::string& resolution, const std::string& by) {
  Statement s(db_,
              "UPDATE drift_incidents SET resolved_at = ?, resolution = ?, resolved_by = ? "
              "WHERE env = ? AND proxy = ? AND resolved_at IS NULL");
  s.bind(1, at).bind(2, resolution).bind(3, by).bind(4, env).bind(5, proxy);
  return Status{s.run()};
}

Result<std::vector<DriftIncidentRow>> StateStore::drift_incidents(const std::string& env, std::int64_t since) {
  Statement s(db_,
              "SELECT id, env, proxy, found_at, diff, detected_ms, resolved_at, resolution, resolved_by "
              "FROM drift_incidents WHERE (? = '' OR env = ?) AND found_at >= ? ORDER BY id");
  s.bind(1, env).bind(2, env).bind(3, since);
  return collect_rows<DriftIncidentRow>(s, [](const Statement& r) {
    return DriftIncidentRow{r.int_at(0),          r.text_at(1),          r.text_at(2),
                            r.int_at(3),          r.text_at(4),          r.optional_int_at(5),
                            r.optional_int_at(6), r.optional_text_at(7), r.optional_text_at(8)};
  });
}

Result<std::vector<DriftBaselineRow>> StateStore::drift_baselines(const std::string& env, std::int64_t limit) {
  Statement s(db_,
              "SELECT id, env, proxy, taken_at, config_hash, desired_json, reason FROM drift_baselines "
              "WHERE (? = '' OR env = ?) ORDER BY id DESC LIMIT ?");
  s.bind(1, env).bind(2, env).bind(3, limit);
  return collect_rows<DriftBaselineRow>(s, [](const Statement& r) {
    return DriftBaselineRow{r.int_at(0),  r.text_at(1), r.text_at(2), r.int_at(3),
                            r.text_at(4), r.text_at(5), r.text_at(6)};
  });
}

}  // namespace switchyard::controller::store
