#pragma once
// BearerToken: the admin API's shared secret. Holds only the SHA-256 digest of the token, and
// compares a presented token by digesting it and comparing digests in constant time, so that
// neither the token's content nor its length leaks through timing. Immutable after load;
// used on the control thread.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::proxy::admin {

class BearerToken {
 public:
  // Reads `path` and trims surrounding whitespace. Error text (naming the file) when the file is
  // unreadable or holds only whitespace.
  static std::optional<BearerToken> load(const std::string& path, std::string& error);
  static BearerToken from_secret(std::string_view secret);

  // True when `authorization` is "Bearer <token>" (scheme case-insensitive) with our token.
  bool accepts(std::string_view authorization) const;

 private:
  std::array<unsigned char, 32> digest_{};
};

}  // namespace switchyard::proxy::admin
