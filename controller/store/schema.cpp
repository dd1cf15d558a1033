// Migrations of the state file. Append new ones at the end; never edit a released one, since
// files in the field have already applied it.
#include "controller/store/schema.hpp"

#include <array>

namespace switchyard::controller::store {
namespace {

// Migration N (1-based) brings a file from version N-1 to N.
constexpr std::array<const char*, 7> kMigrations{
    R"sql(
CREATE TABLE rollouts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app TEXT NOT NULL,
  env TEXT NOT NULL,
  version TEXT NOT NULL,
  baseline_version TEXT NOT NULL,
  strategy TEXT NOT NULL,
  state TEXT NOT NULL,
  step_index INTEGER NOT NULL,
  weight INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  result TEXT CHECK (result IN ('succeeded', 'failed', 'aborted')),
  reason TEXT NOT NULL DEFAULT '',
  forced_by TEXT,
  forced_reason TEXT,
  CHECK ((finished_at IS NULL) = (result IS NULL))
);
-- At most one unfinished rollout per app and environment: resume after a restart is unambiguous.
CREATE UNIQUE INDEX rollouts_one_active ON rollouts (app, env) WHERE finished_at IS NULL;
CREATE INDEX rollouts_by_app ON rollouts (app, id);
CREATE INDEX rollouts_succeeded ON rollouts (app, env, version) WHERE result = 'succeeded';

CREATE TABLE rollout_transitions (
  rollout_id INTEGER NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  step_index INTEGER NOT NULL,
  weight INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (rollout_id, seq)
);

CREATE TABLE analysis_results (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  rollout_id INTEGER NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
  step_index INTEGER NOT NULL,
  at INTEGER NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'inconclusive')),
  figures TEXT NOT NULL DEFAULT '{}',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX analysis_by_rollout ON analysis_results (rollout_id, id);

CREATE TABLE instances (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app TEXT NOT NULL,
  env TEXT NOT NULL,
  version TEXT NOT NULL,
  instance_index INTEGER NOT NULL,
  pid INTEGER NOT NULL,
  port INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('starting', 'healthy', 'stopping', 'stopped', 'failed')),
  log_path TEXT NOT NULL DEFAULT '',
  config_hash TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  stopped_at INTEGER
);
CREATE INDEX instances_by_version ON instances (app, env, version);
CREATE INDEX instances_live ON instances (state) WHERE state IN ('starting', 'healthy', 'stopping');

CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  app TEXT NOT NULL DEFAULT '',
  env TEXT NOT NULL DEFAULT '',
  rollout_id INTEGER REFERENCES rollouts (id) ON DELETE SET NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
)sql",
    // 2: the rollout's state-machine snapshot (restored after a restart) and each instance's
    // process start time (so that a recycled PID is never adopted as ours).
    R"sql(
ALTER TABLE rollouts ADD COLUMN snapshot TEXT NOT NULL DEFAULT '{}';
ALTER TABLE instances ADD COLUMN proc_start_time INTEGER NOT NULL DEFAULT 0;
)sql",
    // 3: analytics indexes: rollouts by start time, events by kind and time (guard trips, drift),
    // so that analytics and /metrics read only what they count.
    R"sql(
CREATE INDEX rollouts_by_start ON rollouts (started_at);
CREATE INDEX events_by_kind ON events (kind, at);
)sql",
    // 4: where a promoted rollout's version came from, and every configuration handed to
    // instances (by instances.config_hash): names and versions of secrets, never their values.
    R"sql(
ALTER TABLE rollouts ADD COLUMN promoted_from TEXT;
CREATE TABLE instance_configs (
  hash TEXT PRIMARY KEY,
  app TEXT NOT NULL,
  env TEXT NOT NULL,
  rendered_json TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql",
    // 5: drift: every desired state kept (baselines) and every drift found and how it ended.
    R"sql(
CREATE TABLE drift_baselines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  env TEXT NOT NULL,
  proxy TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  config_hash TEXT NOT NULL DEFAULT '',
  desired_json TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX drift_baselines_by_proxy ON drift_baselines (env, proxy, id);
CREATE TABLE drift_incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  env TEXT NOT NULL,
  proxy TEXT NOT NULL,
  found_at INTEGER NOT NULL,
  diff TEXT NOT NULL,
  detected_ms INTEGER,
  resolved_at INTEGER,
  resolution TEXT,
  resolved_by TEXT
);
CREATE INDEX drift_incidents_by_time ON drift_incidents (found_at);
)sql",
    // 6: hooks: every hook and gate run with its outcome and bounded output (docs/hooks.md).
    R"sql(
CREATE TABLE hook_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  rollout_id INTEGER NOT NULL REFERENCES rollouts(id),
  phase TEXT NOT NULL,
  hook_index INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('run', 'http')),
  target TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  exit_code INTEGER,
  http_status INTEGER,
  output TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hook_runs_by_rollout ON hook_runs (rollout_id, id);
)sql",
    // 7: the secret store (docs/secrets.md): AES-256-GCM ciphertexts, one row per version; the
    // audit of every read and change (never a value); the key check that detects a wrong key.
    R"sql(
CREATE TABLE secrets (
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  ciphertext BLOB NOT NULL,
  nonce BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (name, version)
);
CREATE TABLE secret_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL CHECK (action IN ('set', 'get', 'list', 'rotate', 'resolve', 'rekey', 'delete')),
  name TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX secret_audit_by_name ON secret_audit (name, seq);
CREATE TABLE secrets_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  key_check TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql",
};

// -1 when the version cannot be read.
int read_version(Database& db, std::string& error) {
  Statement select(db, "SELECT version FROM schema_version");
  const int rc = select.step();
  if (rc == SQLITE_ROW) return static_cast<int>(select.int_at(0));
  if (rc == SQLITE_DONE) return 0;
  error = select.error();
  return -1;
}

}  // namespace

int current_schema_version() { return static_cast<int>(kMigrations.size()); }

std::string apply_migrations(Database& db) {
  Transaction tx(db);
  if (!tx.begin_error().empty()) return tx.begin_error();
  if (auto error = db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !error.empty()) {
    return error;
  }
  std::string error;
  const int version = read_version(db, error);
  if (version < 0) return error;
  if (version > current_schema_version()) {
    return "schema version " + std::to_string(version) + " is newer than this controller's (" +
           std::to_string(current_schema_version()) + ")";
  }
  if (version == current_schema_version()) return tx.commit();
  for (int next = version + 1; next <= current_schema_version(); ++next) {
    if (auto failed = db.exec(kMigrations[static_cast<std::size_t>(next - 1)]); !failed.empty()) {
      return "migration " + std::to_string(next) + ": " + failed;
    }
  }
  error = db.exec("DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (" +
                  std::to_string(current_schema_version()) + ")");
  if (!error.empty()) return error;
  return tx.commit();
}

}  // namespace switchyard::controller::store
