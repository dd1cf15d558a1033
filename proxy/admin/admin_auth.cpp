#include "proxy/admin/admin_auth.hpp"
#include "common/ascii_case.hpp"

#include <cctype>
#include <fstream>
#include <iterator>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace switchyard::proxy::admin {
namespace {

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  // EVP_Digest cannot fail for SHA-256 on in-memory data short of allocation failure; a failure
  // leaves a zero digest, which no real token's digest equals by chance.
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::optional<BearerToken> BearerToken::load(const std::string& path, std::string& error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = "cannot read '" + path + "'";
    return std::nullopt;
  }
  const std::string content((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
  if (file.bad()) {
    error = "cannot read '" + path + "'";
    return std::nullopt;
  }
  const auto secret = trim(content);
  if (secret.empty()) {
    error = "'" + path + "' is empty";
    return std::nullopt;
  }
  return from_secret(secret);
}

BearerToken BearerToken::from_secret(std::string_view secret) {
  BearerToken token;
  token.digest_ = sha256(secret);
  return token;
}

bool BearerToken::accepts(std::string_view authorization) const {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() < kScheme.size() ||
      !switchyard::ascii_iequals(authorization.substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  const auto presented = sha256(trim(authorization.substr(kScheme.size())));
  return CRYPTO_memcmp(presented.data(), digest_.data(), digest_.size()) == 0;
}

}  // namespace switchyard::proxy::admin
