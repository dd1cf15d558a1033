// StateStore: promotion records and the configurations handed to instances.
#include "controller/store/state_store.hpp"

namespace switchyard::controller::store {
namespace {

Status run_status(Statement& s) { return Status{s.run()}; }

Result<std::optional<std::string>> optional_text(Statement& s) {
  using R = Result<std::optional<std::string>>;
  const int rc = s.step();
  if (rc == SQLITE_ROW) return R(s.optional_text_at(0));
  if (rc == SQLITE_DONE) return R(std::optional<std::string>());
  return R::failure(s.error());
}

}  // namespace

Status StateStore::set_promoted_from(std::int64_t rollout_id, const std::string& from_env) {
  Statement s(db_, "UPDATE rollouts SET promoted_from = ? WHERE id = ?");
  s.bind(1, from_env).bind(2, rollout_id);
  return run_status(s);
}

Result<std::optional<std::string>> StateStore::promoted_from(std::int64_t rollout_id) {
  Statement s(db_, "SELECT promoted_from FROM rollouts WHERE id = ?");
  s.bind(1, rollout_id);
  return optional_text(s);
}

Result<std::optional<std::string>> StateStore::last_succeeded_version(const std::string& app, const std::string& env) {
  Statement s(db_,
              "SELECT version FROM rollouts WHERE app = ? AND env = ? AND result = 'succeeded' "
              "ORDER BY finished_at DESC, id DESC LIMIT 1");
  s.bind(1, app).bind(2, env);
  return optional_text(s);
}

Status StateStore::put_instance_config(const InstanceConfigRow& row) {
  Statement s(db_,
              "INSERT OR IGNORE INTO instance_configs (hash, app, env, rendered_json, created_at) "
              "VALUES (?, ?, ?, ?, ?)");
  s.bind(1, row.hash).bind(2, row.app).bind(3, row.env).bind(4, row.rendered_json).bind(5, row.created_at);
  return run_status(s);
}

Result<std::optional<InstanceConfigRow>> StateStore::instance_config(const std::string& hash) {
  using R = Result<std::optional<InstanceConfigRow>>;
  Statement s(db_, "SELECT hash, app, env, rendered_json, created_at FROM instance_configs WHERE hash = ?");
  s.bind(1, hash);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return R(std::optional<InstanceConfigRow>());
  if (rc != SQLITE_ROW) return R::failure(s.error());
  InstanceConfigRow row;
  row.hash = s.text_at(0);
  row.app = s.text_at(1);
  row.env = s.text_at(2);
  row.rendered_json = s.text_at(3);
  row.created_at = s.int_at(4);
  return R(std::optional<InstanceConfigRow>(std::move(row)));
}

}  // namespace switchyard::controller::store
