#pragma once
// Helpers shared by the sy_store tests: a store on a fresh temp file, and a raw second
// connection to the same file (to hold locks or inject faults the way another process could).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "controller/store/state_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::store::test {

// A rollout row as the controller would create it, at time `at`.
inline RolloutRow new_rollout(const std::string& app, const std::string& env, const std::string& version,
                              std::int64_t at) {
  RolloutRow row;
  row.app = app;
  row.env = env;
  row.version = version;
  row.baseline_version = "v1";
  row.strategy = "canary";
  row.state = "deploying";
  row.started_at = at;
  row.reason = "started by test";
  return row;
}

// A plain sqlite3 connection to `path`, closed on destruction. Owned by the test thread.
class RawConnection {
 public:
  explicit RawConnection(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << "cannot open " << path;
  }
  ~RawConnection() { sqlite3_close(db_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Runs `sql`; "" on success.
  std::string exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return {};
    std::string error = message != nullptr ? message : "error";
    sqlite3_free(message);
    return error;
  }

  // The first column of the first row of `sql` as an integer (-1 when there is no row).
  std::int64_t scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::int64_t value = -1;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Opens a StateStore on `path`, failing the test when it cannot.
inline void open_ok(StateStore& store, const std::string& path, StoreOptions options = {}) {
  auto status = store.open(path, options);
  ASSERT_TRUE(status.ok()) << status.error;
}

}  // namespace switchyard::controller::store::test
