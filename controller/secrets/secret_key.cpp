#include "controller/secrets/secret_key.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace switchyard::controller::secrets {
namespace {

constexpr const char* kCheckLabel = "switchyard secrets key check v1";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<std::array<unsigned char, SecretKey::kSize>> decode_hex(const std::string& text) {
  if (text.size() != 2 * SecretKey::kSize) return std::nullopt;
  std::array<unsigned char, SecretKey::kSize> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const int high = hex_digit(text[2 * i]);
    const int low = hex_digit(text[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return bytes;
}

KeyLoad failed(std::string error) { return KeyLoad{std::nullopt, std::move(error)}; }

}  // namespace

SecretKey::~SecretKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

std::string SecretKey::check_value() const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), bytes_.data(), static_cast<int>(bytes_.size()),
       reinterpret_cast<const unsigned char*>(kCheckLabel), std::strlen(kCheckLabel), mac, &size);
  return to_hex(mac, size);
}

std::string SecretKey::id() const { return check_value().substr(0, 16); }

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

KeyLoad key_from_hex(const std::string& text, const std::string& what) {
  std::string clean = trimmed(text);
  auto bytes = decode_hex(clean);
  OPENSSL_cleanse(clean.data(), clean.size());
  if (!bytes) return failed(what + ": must be 64 hex characters (32 bytes)");
  KeyLoad out{SecretKey(*bytes), {}};
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return out;
}

KeyLoad key_from_file(const std::string& path, const std::string& label) {
  const std::string what = label + ": '" + path + "'";
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) return failed(what + ": " + std::strerror(errno));
  if (!S_ISREG(info.st_mode)) return failed(what + ": not a regular file");
  // Like ssh with private keys: a key others can read is not a secret any more.
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return failed(what + ": must not be readable or writable by group or others (chmod 600)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return failed(what + ": cannot be read");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  KeyLoad out;
  if (content.size() == SecretKey::kSize) {
    std::array<unsigned char, SecretKey::kSize> bytes{};
    std::memcpy(bytes.data(), content.data(), bytes.size());
    out.key.emplace(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
  } else {
    out = key_from_hex(content, what);
    if (!out.key) out.error = what + ": must hold 32 raw bytes or 64 hex characters";
  }
  OPENSSL_cleanse(content.data(), content.size());
  return out;
}

std::optional<SecretKey> random_key() {
  std::array<unsigned char, SecretKey::kSize> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return std::nullopt;
  SecretKey key(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

}  // namespace switchyard::controller::secrets
