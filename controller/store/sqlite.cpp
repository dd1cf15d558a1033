// The sqlite3 RAII wrapper: every call maps a result code to an error string.
#include "controller/store/sqlite.hpp"

namespace switchyard::controller::store {

Database::~Database() { close(); }

void Database::close() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

std::string Database::open(const std::string& path, int busy_timeout_ms) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return reason;
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  return {};
}

std::string Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return {};
  std::string reason = message != nullptr ? message : last_error();
  sqlite3_free(message);
  return reason;
}

std::string Database::last_error() const { return db_ != nullptr ? sqlite3_errmsg(db_) : "database is not open"; }

Statement::Statement(Database& db, const char* sql) : db_(db) {
  if (!db.is_open()) {
    error_ = "database is not open";
  } else if (sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr) != SQLITE_OK) {
    error_ = db.last_error();
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (stmt_ != nullptr) sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
  // SQLITE_TRANSIENT: SQLite copies the text, so temporaries are safe to pass.
  if (stmt_ != nullptr) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  if (value) return bind(index, *value);
  if (stmt_ != nullptr) sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  if (value) return bind(index, *value);
  if (stmt_ != nullptr) sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind_blob(int index, const std::string& bytes) {
  if (stmt_ != nullptr) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }
  return *this;
}

int Statement::step() {
  if (stmt_ == nullptr) return SQLITE_ERROR;
  const int rc = sqlite3_step(stmt_);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) error_ = db_.last_error();
  return rc;
}

std::string Statement::run() {
  const int rc = step();
  if (rc == SQLITE_DONE) return {};
  if (rc == SQLITE_ROW) return "statement returned rows";
  return error();
}

std::string Statement::error() const { return error_.empty() ? "unknown SQLite error" : error_; }

std::int64_t Statement::int_at(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text_at(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::blob_at(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (bytes == nullptr) return {};
  return std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::int64_t> Statement::optional_int_at(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return int_at(column);
}

std::optional<std::string> Statement::optional_text_at(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return text_at(column);
}

Transaction::Transaction(Database& db) : db_(db) {
  begin_error_ = db_.exec("BEGIN IMMEDIATE");
  open_ = begin_error_.empty();
}

Transaction::~Transaction() {
  if (open_) db_.exec("ROLLBACK");
}

std::string Transaction::commit() {
  if (!open_) return begin_error_.empty() ? "transaction is not open" : begin_error_;
  auto error = db_.exec("COMMIT");
  // A failed COMMIT (e.g. SQLITE_BUSY) leaves the transaction open: the destructor rolls it back.
  if (error.empty()) open_ = false;
  return error;
}

}  // namespace switchyard::controller::store
