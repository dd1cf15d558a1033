#pragma once
// SecretStore: the controller's secret store (docs/secrets.md) in the state file's `secrets`,
// `secret_audit` and `secrets_meta` tables. Values are sealed with AES-256-GCM under the key
// given at open() (never stored); AAD "NAME:VERSION" binds each ciphertext to its row. Each
// change adds a version; every read and change adds an audit row (who, when, which secret,
// which version, never the value). A key that does not match the store's key check, or no key
// at all, leaves the store open but makes every call fail with 503 and a message saying so.
//
// Thread-safe: the API uses it on the control thread and the ActionExecutor's worker resolves
// secrets at instance start. It owns its OWN sqlite connection to the state file (WAL lets it
// work beside the StateStore's connection) and a mutex that serialises every call.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "controller/secrets/secret_key.hpp"
#include "controller/store/sqlite.hpp"

namespace switchyard::controller::secrets {

inline constexpr const char* kNoKeyMessage =
    "no secrets key configured (controller.secrets_key_file or SWITCHYARD_SECRETS_KEY)";
inline constexpr std::size_t kMaxValueBytes = 32 * 1024;

// A value or an HTTP-like status with a message (503 no/wrong key, 404 unknown secret,
// 400 bad name or value, 500 storage or decryption failure).
template <typename T>
struct SecretOutcome {
  T value{};
  int status = 200;
  std::string error;
  bool ok() const { return error.empty(); }
  static SecretOutcome of(T value) {
    SecretOutcome out;
    out.value = std::move(value);
    return out;
  }
  static SecretOutcome failed(int status, std::string error) {
    SecretOutcome out;
    out.status = status;
    out.error = std::move(error);
    return out;
  }
};

struct SecretVersion {
  std::string name;
  std::int64_t version = 0;
  std::int64_t created_at = 0;  // Unix ms
  std::string created_by;
};

struct SecretAuditRow {
  std::int64_t seq = 0;
  std::int64_t at = 0;  // Unix ms
  std::string actor;
  std::string action;  // set | get | list | rotate | resolve | rekey | delete
  std::string name;
  std::int64_t version = 0;
  std::string detail;
};

// Why `name` is not a valid secret name ([A-Z_][A-Z0-9_]{0,63}); empty when it is.
std::string check_secret_name(const std::string& name);

class SecretStore {
 public:
  SecretStore() = default;
  SecretStore(const SecretStore&) = delete;
  SecretStore& operator=(const SecretStore&) = delete;

  // Opens its own connection to the state file (migrations applied if needed). Without a key
  // the store answers kNoKeyMessage; with a key it records the key check on first use and
  // compares it afterwards. Returns a message only when the file cannot be used at all.
  std::string open(const std::string& path, std::optional<SecretKey> key);
  // Empty when secrets can be read and written; else why not (no key, wrong key).
  std::string unavailable() const;

  // A new version of `name` (1 for a new secret). `action` is "set" or "rotate" (rotate needs
  // an existing secret: 404 otherwise).
  SecretOutcome<SecretVersion> put(const std::string& name, const std::string& value, const std::string& actor,
                                   const std::string& action);
  // The latest version of every secret, by name (audited as list).
  SecretOutcome<std::vector<SecretVersion>> list(const std::string& actor);
  // The latest value (audited as get). The caller wipes it (wipe()) after use.
  SecretOutcome<std::string> get(const std::string& name, const std::string& actor, std::int64_t& version);
  // Every version of `name`, newest first, and its audit rows, oldest first.
  SecretOutcome<std::vector<SecretVersion>> versions(const std::string& name);
  SecretOutcome<std::vector<SecretAuditRow>> audit(const std::string& name);
  // The latest values of `names` for an instance start (each audited as resolve, actor
  // "controller", `detail` says for what). Fails as a whole when one is missing.
  SecretOutcome<std::map<std::string, std::string>> resolve(const std::vector<std::string>& names,
                                                            const std::string& detail);
  // The latest version of each of `names` (0 when missing): configuration hashes, no values.
  SecretOutcome<std::map<std::string, std::int64_t>> current_versions(const std::vector<std::string>& names);
  // Re-encrypts every version under `new_key` in one transaction, then uses it. Returns how
  // many versions were re-encrypted.
  SecretOutcome<std::int64_t> rekey(const SecretKey& new_key, const std::string& actor);

 private:
  // Callers hold mutex_.
  std::string append_audit(const std::string& actor, const std::string& action, const std::string& name,
                           std::int64_t version, const std::string& detail);
  std::optional<std::int64_t> latest_version(const std::string& name, std::string& error);
  SecretOutcome<std::string> decrypt_row(const std::string& name, std::int64_t version);
  std::string verify_key_check();

  mutable std::mutex mutex_;
  store::Database db_;
  std::optional<SecretKey> key_;
  std::string unavailable_ = kNoKeyMessage;
};

}  // namespace switchyard::controller::secrets
