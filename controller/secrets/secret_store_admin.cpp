// SecretStore: history (versions and audit rows) and rekey.
#include <chrono>

#include "controller/secrets/secret_cipher.hpp"
#include "controller/secrets/secret_store.hpp"

namespace switchyard::controller::secrets {

using store::Statement;
using store::Transaction;

namespace {

template <typename T>
SecretOutcome<T> failure(int status, std::string error) {
  return SecretOutcome<T>::failed(status, std::move(error));
}

struct StoredRow {
  std::string name;
  std::int64_t version = 0;
  Sealed sealed;
};

}  // namespace

SecretOutcome<std::vector<SecretVersion>> SecretStore::versions(const std::string& name) {
  if (auto error = check_secret_name(name); !error.empty()) return failure<std::vector<SecretVersion>>(400, error);
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT name, version, created_at, created_by FROM secrets WHERE name = ? ORDER BY version DESC");
  select.bind(1, name);
  SecretOutcome<std::vector<SecretVersion>> out;
  int rc = SQLITE_ROW;
  while ((rc = select.step()) == SQLITE_ROW) {
    out.value.push_back({select.text_at(0), select.int_at(1), select.int_at(2), select.text_at(3)});
  }
  if (rc != SQLITE_DONE) return failure<std::vector<SecretVersion>>(500, select.error());
  if (out.value.empty()) return failure<std::vector<SecretVersion>>(404, "no secret '" + name + "'");
  return out;
}

SecretOutcome<std::vector<SecretAuditRow>> SecretStore::audit(const std::string& name) {
  std::lock_guard lock(mutex_);
  // A rekey concerns every secret: it shows in each one's history.
  Statement select(db_,
                   "SELECT seq, at, actor, action, name, version, detail FROM secret_audit "
                   "WHERE name = ? OR action = 'rekey' ORDER BY seq");
  select.bind(1, name);
  SecretOutcome<std::vector<SecretAuditRow>> out;
  int rc = SQLITE_ROW;
  while ((rc = select.step()) == SQLITE_ROW) {
    out.value.push_back({select.int_at(0), select.int_at(1), select.text_at(2), select.text_at(3), select.text_at(4),
                         select.int_at(5), select.text_at(6)});
  }
  if (rc != SQLITE_DONE) return failure<std::vector<SecretAuditRow>>(500, select.error());
  return out;
}

SecretOutcome<std::int64_t> SecretStore::rekey(const SecretKey& new_key, const std::string& actor) {
  std::lock_guard lock(mutex_);
  if (!unavailable_.empty()) return failure<std::int64_t>(503, unavailable_);
  Transaction tx(db_);
  if (!tx.begin_error().empty()) return failure<std::int64_t>(500, tx.begin_error());
  std::vector<StoredRow> rows;
  {
    Statement select(db_, "SELECT name, version, ciphertext, nonce FROM secrets");
    int rc = SQLITE_ROW;
    while ((rc = select.step()) == SQLITE_ROW) {
      rows.push_back({select.text_at(0), select.int_at(1), Sealed{select.blob_at(2), select.blob_at(3)}});
    }
    if (rc != SQLITE_DONE) return failure<std::int64_t>(500, select.error());
  }
  for (const auto& row : rows) {
    std::string error;
    const auto aad = secret_aad(row.name, row.version);
    auto plain = unseal(*key_, row.sealed, aad, error);
    if (!plain) return failure<std::int64_t>(500, "secret '" + aad + "' cannot be decrypted: " + error);
    const auto resealed = seal(new_key, *plain, aad, error);
    wipe(*plain);
    if (!resealed) return failure<std::int64_t>(500, error);
    Statement update(db_, "UPDATE secrets SET ciphertext = ?, nonce = ? WHERE name = ? AND version = ?");
    update.bind_blob(1, resealed->ciphertext).bind_blob(2, resealed->nonce).bind(3, row.name).bind(4, row.version);
    if (error = update.run(); !error.empty()) return failure<std::int64_t>(500, error);
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  Statement meta(db_, "UPDATE secrets_meta SET key_check = ?, updated_at = ? WHERE id = 1");
  meta.bind(1, new_key.check_value()).bind(2, now);
  std::string error = meta.run();
  const auto detail = std::to_string(rows.size()) + " versions re-encrypted; key id " + key_->id() + " -> " + new_key.id();
  if (error.empty()) error = append_audit(actor, "rekey", "", 0, detail);
  if (error.empty()) error = tx.commit();
  if (!error.empty()) return failure<std::int64_t>(500, error);
  key_ = new_key;
  return SecretOutcome<std::int64_t>::of(static_cast<std::int64_t>(rows.size()));
}

}  // namespace switchyard::controller::secrets
