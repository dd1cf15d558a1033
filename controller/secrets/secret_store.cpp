// SecretStore: opening, the key check, writes and reads. Audit and rekey: secret_store_admin.cpp.
#include "controller/secrets/secret_store.hpp"

#include <chrono>

#include "controller/secrets/secret_cipher.hpp"
#include "controller/store/schema.hpp"

namespace switchyard::controller::secrets {

using store::Statement;
using store::Transaction;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

template <typename T>
SecretOutcome<T> failure(int status, std::string error) {
  return SecretOutcome<T>::failed(status, std::move(error));
}

}  // namespace

std::string check_secret_name(const std::string& name) {
  auto upper = [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  bool ok = !name.empty() && name.size() <= 64 && upper(name[0]);
  for (char c : name) ok = ok && (upper(c) || digit(c));
  if (ok) return {};
  return "name must match [A-Z_][A-Z0-9_]{0,63}";
}

std::string SecretStore::open(const std::string& path, std::optional<SecretKey> key) {
  std::lock_guard lock(mutex_);
  if (auto error = db_.open(path, 5000); !error.empty()) return "state file '" + path + "': " + error;
  if (auto error = db_.exec("PRAGMA synchronous = FULL"); !error.empty()) return "state file '" + path + "': " + error;
  if (auto error = store::apply_migrations(db_); !error.empty()) return "state file '" + path + "': " + error;
  key_ = std::move(key);
  unavailable_ = key_ ? verify_key_check() : kNoKeyMessage;
  return {};
}

std::string SecretStore::verify_key_check() {
  Statement select(db_, "SELECT key_check FROM secrets_meta WHERE id = 1");
  const int rc = select.step();
  if (rc == SQLITE_ROW) {
    const std::string stored = select.text_at(0);
    if (stored == key_->check_value()) return {};
    return "secrets key does not match the store (key id " + key_->id() + "; the store was sealed under key id " +
           stored.substr(0, 16) + ")";
  }
  if (rc != SQLITE_DONE) return "secret store: " + select.error();
  Statement insert(db_, "INSERT INTO secrets_meta (id, key_check, updated_at) VALUES (1, ?, ?)");
  insert.bind(1, key_->check_value()).bind(2, now_ms());
  if (auto error = insert.run(); !error.empty()) return "secret store: " + error;
  return {};
}

std::string SecretStore::unavailable() const {
  std::lock_guard lock(mutex_);
  return unavailable_;
}

std::string SecretStore::append_audit(const std::string& actor, const std::string& action, const std::string& name,
                                      std::int64_t version, const std::string& detail) {
  Statement insert(db_, "INSERT INTO secret_audit (at, actor, action, name, version, detail) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, now_ms()).bind(2, actor).bind(3, action).bind(4, name).bind(5, version).bind(6, detail);
  return insert.run();
}

std::optional<std::int64_t> SecretStore::latest_version(const std::string& name, std::string& error) {
  Statement select(db_, "SELECT MAX(version) FROM secrets WHERE name = ?");
  select.bind(1, name);
  if (select.step() != SQLITE_ROW) {
    error = select.error();
    return std::nullopt;
  }
  return select.optional_int_at(0);
}

SecretOutcome<SecretVersion> SecretStore::put(const std::string& name, const std::string& value,
                                              const std::string& actor, const std::string& action) {
  if (auto error = check_secret_name(name); !error.empty()) return failure<SecretVersion>(400, error);
  if (value.size() > kMaxValueBytes) return failure<SecretVersion>(400, "value must be at most 32768 bytes");
  std::lock_guard lock(mutex_);
  if (!unavailable_.empty()) return failure<SecretVersion>(503, unavailable_);
  Transaction tx(db_);
  if (!tx.begin_error().empty()) return failure<SecretVersion>(500, tx.begin_error());
  std::string error;
  const auto latest = latest_version(name, error);
  if (!error.empty()) return failure<SecretVersion>(500, error);
  if (action == "rotate" && !latest) return failure<SecretVersion>(404, "no secret '" + name + "'");
  SecretVersion row{name, latest.value_or(0) + 1, now_ms(), actor};
  const auto sealed = seal(*key_, value, secret_aad(name, row.version), error);
  if (!sealed) return failure<SecretVersion>(500, error);
  Statement insert(db_, "INSERT INTO secrets (name, version, ciphertext, nonce, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, name).bind(2, row.version).bind_blob(3, sealed->ciphertext).bind_blob(4, sealed->nonce);
  insert.bind(5, row.created_at).bind(6, actor);
  if (error = insert.run(); error.empty()) error = append_audit(actor, action, name, row.version, "");
  if (error.empty()) error = tx.commit();
  if (!error.empty()) return failure<SecretVersion>(500, error);
  return SecretOutcome<SecretVersion>::of(row);
}

SecretOutcome<std::vector<SecretVersion>> SecretStore::list(const std::string& actor) {
  std::lock_guard lock(mutex_);
  if (!unavailable_.empty()) return failure<std::vector<SecretVersion>>(503, unavailable_);
  Statement select(db_,
                   "SELECT s.name, s.version, s.created_at, s.created_by FROM secrets s "
                   "WHERE s.version = (SELECT MAX(version) FROM secrets WHERE name = s.name) ORDER BY s.name");
  SecretOutcome<std::vector<SecretVersion>> out;
  int rc = SQLITE_ROW;
  while ((rc = select.step()) == SQLITE_ROW) {
    out.value.push_back({select.text_at(0), select.int_at(1), select.int_at(2), select.text_at(3)});
  }
  if (rc != SQLITE_DONE) return failure<std::vector<SecretVersion>>(500, select.error());
  if (auto error = append_audit(actor, "list", "", 0, ""); !error.empty()) {
    return failure<std::vector<SecretVersion>>(500, error);
  }
  return out;
}

SecretOutcome<std::string> SecretStore::decrypt_row(const std::string& name, std::int64_t version) {
  Statement select(db_, "SELECT ciphertext, nonce FROM secrets WHERE name = ? AND version = ?");
  select.bind(1, name).bind(2, version);
  const int rc = select.step();
  if (rc == SQLITE_DONE) return failure<std::string>(404, "no secret '" + name + "'");
  if (rc != SQLITE_ROW) return failure<std::string>(500, select.error());
  std::string error;
  auto plain = unseal(*key_, Sealed{select.blob_at(0), select.blob_at(1)}, secret_aad(name, version), error);
  if (!plain) {
    return failure<std::string>(500, "secret '" + name + "' version " + std::to_string(version) +
                                         " cannot be decrypted: " + error);
  }
  return SecretOutcome<std::string>::of(std::move(*plain));
}

SecretOutcome<std::string> SecretStore::get(const std::string& name, const std::string& actor, std::int64_t& version) {
  if (auto error = check_secret_name(name); !error.empty()) return failure<std::string>(400, error);
  std::lock_guard lock(mutex_);
  if (!unavailable_.empty()) return failure<std::string>(503, unavailable_);
  std::string error;
  const auto latest = latest_version(name, error);
  if (!error.empty()) return failure<std::string>(500, error);
  if (!latest) return failure<std::string>(404, "no secret '" + name + "'");
  auto value = decrypt_row(name, *latest);
  if (!value.ok()) return value;
  if (error = append_audit(actor, "get", name, *latest, ""); !error.empty()) {
    wipe(value.value);
    return failure<std::string>(500, error);
  }
  version = *latest;
  return value;
}

SecretOutcome<std::map<std::string, std::string>> SecretStore::resolve(const std::vector<std::string>& names,
                                                                       const std::string& detail) {
  using Out = SecretOutcome<std::map<std::string, std::string>>;
  std::lock_guard lock(mutex_);
  if (names.empty()) return {};
  if (!unavailable_.empty()) return failure<std::map<std::string, std::string>>(503, unavailable_);
  Out out;
  auto fail = [&out](int status, std::string error) {
    for (auto& [name, value] : out.value) wipe(value);
    return failure<std::map<std::string, std::string>>(status, std::move(error));
  };
  for (const auto& name : names) {
    std::string error;
    const auto latest = latest_version(name, error);
    if (!error.empty()) return fail(500, error);
    if (!latest) return fail(404, "secret '" + name + "' is not in the secret store (switchyard secrets set " + name + ")");
    auto value = decrypt_row(name, *latest);
    if (!value.ok()) return fail(value.status, value.error);
    out.value[name] = std::move(value.value);
    if (error = append_audit("controller", "resolve", name, *latest, detail); !error.empty()) return fail(500, error);
  }
  return out;
}

SecretOutcome<std::map<std::string, std::int64_t>> SecretStore::current_versions(const std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  SecretOutcome<std::map<std::string, std::int64_t>> out;
  for (const auto& name : names) {
    std::string error;
    const auto latest = latest_version(name, error);
    if (!error.empty()) return failure<std::map<std::string, std::int64_t>>(500, error);
    out.value[name] = latest.value_or(0);
  }
  return out;
}

}  // namespace switchyard::controller::secrets
