#include "controller/secrets/secret_cipher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace switchyard::controller::secrets {
namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }
unsigned char* bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

// Key, nonce and AAD into a fresh context for `encrypt` (1) or decrypt (0).
CipherContext prepare(const SecretKey& key, const std::string& nonce, std::string_view aad, int encrypt) {
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) return ctx;
  int ignored = 0;
  const bool ok = EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt) == 1 &&
                  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) == 1 &&
                  EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), bytes(nonce), encrypt) == 1 &&
                  EVP_CipherUpdate(ctx.get(), nullptr, &ignored, bytes(aad), static_cast<int>(aad.size())) == 1;
  if (!ok) ctx.reset();
  return ctx;
}

}  // namespace

std::optional<Sealed> seal(const SecretKey& key, std::string_view plaintext, std::string_view aad, std::string& error) {
  Sealed out;
  out.nonce.resize(kNonceSize);
  if (RAND_bytes(bytes(out.nonce), static_cast<int>(kNonceSize)) != 1) {
    error = "cannot draw a nonce (RAND_bytes failed)";
    return std::nullopt;
  }
  auto ctx = prepare(key, out.nonce, aad, 1);
  out.ciphertext.resize(plaintext.size() + kTagSize);
  int written = 0;
  int final_size = 0;
  const bool ok =
      ctx &&
      EVP_CipherUpdate(ctx.get(), bytes(out.ciphertext), &written, bytes(plaintext), static_cast<int>(plaintext.size())) == 1 &&
      EVP_CipherFinal_ex(ctx.get(), bytes(out.ciphertext) + written, &final_size) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                          bytes(out.ciphertext) + written + final_size) == 1;
  if (!ok) {
    error = "AES-256-GCM encryption failed";
    return std::nullopt;
  }
  out.ciphertext.resize(static_cast<std::size_t>(written + final_size) + kTagSize);
  return out;
}

std::optional<std::string> unseal(const SecretKey& key, const Sealed& sealed, std::string_view aad, std::string& error) {
  if (sealed.nonce.size() != kNonceSize || sealed.ciphertext.size() < kTagSize) {
    error = "malformed ciphertext";
    return std::nullopt;
  }
  const std::size_t body = sealed.ciphertext.size() - kTagSize;
  auto ctx = prepare(key, sealed.nonce, aad, 0);
  std::string plain(body, '\0');
  std::string tag = sealed.ciphertext.substr(body);
  int written = 0;
  int final_size = 0;
  const bool ok =
      ctx &&
      EVP_CipherUpdate(ctx.get(), bytes(plain), &written, bytes(std::string_view(sealed.ciphertext).substr(0, body)),
                       static_cast<int>(body)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), bytes(tag)) == 1 &&
      EVP_CipherFinal_ex(ctx.get(), bytes(plain) + written, &final_size) == 1;
  if (!ok) {
    wipe(plain);
    error = "authentication failed (tampered data or wrong key)";
    return std::nullopt;
  }
  plain.resize(static_cast<std::size_t>(written + final_size));
  return plain;
}

std::string secret_aad(const std::string& name, std::int64_t version) { return name + ":" + std::to_string(version); }

void wipe(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return to_hex(digest, size);
}

}  // namespace switchyard::controller::secrets
