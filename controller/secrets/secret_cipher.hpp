#pragma once
// AES-256-GCM sealing of secret values (OpenSSL EVP). Each seal draws a fresh 12-byte nonce
// (RAND_bytes) and authenticates `aad` ("NAME:VERSION" in the store), so a ciphertext copied to
// another row, altered, or opened under another key fails instead of yielding garbage.
// Pure functions, any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "controller/secrets/secret_key.hpp"

namespace switchyard::controller::secrets {

inline constexpr std::size_t kNonceSize = 12;
inline constexpr std::size_t kTagSize = 16;

struct Sealed {
  std::string ciphertext;  // encrypted bytes followed by the 16-byte tag
  std::string nonce;       // 12 bytes
};

// Empty (with `error`) only when OpenSSL fails.
std::optional<Sealed> seal(const SecretKey& key, std::string_view plaintext, std::string_view aad, std::string& error);
// Empty (with `error`) when the tag does not verify: tampered data, another row's AAD, wrong key.
std::optional<std::string> unseal(const SecretKey& key, const Sealed& sealed, std::string_view aad, std::string& error);

// The AAD of a stored version: "NAME:VERSION".
std::string secret_aad(const std::string& name, std::int64_t version);

// Overwrites the string's bytes (OPENSSL_cleanse) before it is freed.
void wipe(std::string& text);

// Lower-case hex SHA-256: lets tests and instances compare values without showing them.
std::string sha256_hex(std::string_view bytes);

}  // namespace switchyard::controller::secrets
