#pragma once
// A tiny RAII layer over the sqlite3 C API: a connection, a prepared statement with positional
// binding, and a write transaction. Errors are strings (sqlite3_errmsg); nothing throws.
// Not thread-safe: each object belongs to the thread that owns its StateStore (the control thread).

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace switchyard::controller::store {

class Database {
 public:
  Database() = default;
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens (creating if needed) the file; "" on success, else SQLite's reason.
  std::string open(const std::string& path, int busy_timeout_ms);
  void close();
  // Runs one or more statements without results; "" on success.
  std::string exec(const std::string& sql);
  std::string last_error() const;
  sqlite3* handle() const { return db_; }
  bool is_open() const { return db_ != nullptr; }

 private:
  sqlite3* db_ = nullptr;
};

// One prepared statement; bind() indices start at 1 as in SQLite. After a failed prepare,
// ok() is false and every later call is a no-op, so callers check once, at step().
class Statement {
 public:
  Statement(Database& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind(int index, const std::optional<std::string>& value);
  // Binds the bytes as a BLOB (text binds would make SQLite treat them as UTF-8).
  Statement& bind_blob(int index, const std::string& bytes);

  // SQLITE_ROW, SQLITE_DONE, or an error code (the message is then in error()).
  int step();
  // step() expecting SQLITE_DONE; "" on success.
  std::string run();
  std::string error() const;

  std::int64_t int_at(int column) const;
  std::string text_at(int column) const;
  std::string blob_at(int column) const;
  std::optional<std::int64_t> optional_int_at(int column) const;
  std::optional<std::string> optional_text_at(int column) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
};

// BEGIN IMMEDIATE on construction (takes the write lock up front, so a busy database fails here
// rather than half way); rolls back on destruction unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const std::string& begin_error() const { return begin_error_; }
  std::string commit();

 private:
  Database& db_;
  std::string begin_error_;
  bool open_ = false;
};

}  // namespace switchyard::controller::store
