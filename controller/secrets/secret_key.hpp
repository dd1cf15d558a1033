#pragma once
// SecretKey: the 32-byte AES-256 key that seals the secret store (docs/secrets.md), and where it
// comes from: `controller.secrets_key_file` (32 raw bytes or 64 hex characters, mode 0600 or
// stricter) or $SWITCHYARD_SECRETS_KEY (64 hex characters). The key is never written anywhere;
// its id (a truncated HMAC of a fixed label under the key) names it in messages without revealing it.
// A plain value, any thread; the bytes are wiped on destruction.

#include <array>
#include <optional>
#include <string>

namespace switchyard::controller::secrets {

class SecretKey {
 public:
  static constexpr std::size_t kSize = 32;

  explicit SecretKey(const std::array<unsigned char, kSize>& bytes) : bytes_(bytes) {}
  ~SecretKey();
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;

  const unsigned char* data() const { return bytes_.data(); }
  // HMAC-SHA256(key, label) in hex: what the store keeps to recognise its key.
  std::string check_value() const;
  // The first 16 hex characters of check_value(): safe to print.
  std::string id() const;

 private:
  std::array<unsigned char, kSize> bytes_{};
};

struct KeyLoad {
  std::optional<SecretKey> key;
  std::string error;  // set when key is empty
};

// 64 hex characters (surrounding whitespace ignored). `what` names the source in errors.
KeyLoad key_from_hex(const std::string& text, const std::string& what);
// The key file: refused when group or others may read or write it, or when it holds neither
// 32 raw bytes nor 64 hex characters. Errors start with "<label>: '<path>'".
KeyLoad key_from_file(const std::string& path, const std::string& label = "controller.secrets_key_file");
// A fresh random key (RAND_bytes), for `secrets rekey` tests and tooling.
std::optional<SecretKey> random_key();

// Lower-case hex of raw bytes.
std::string to_hex(const unsigned char* bytes, std::size_t size);

}  // namespace switchyard::controller::secrets
