#include "demo/secrets_input.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace switchyard::demo {
namespace {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

void wipe(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
}

}  // namespace

std::string read_handed_secrets(std::string& summary) {
  const char* fd_text = std::getenv("SWITCHYARD_SECRETS_FD");
  if (fd_text == nullptr) return {};
  int fd = -1;
  const std::string_view text(fd_text);
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), fd); ec != std::errc() || fd < 0) {
    return "SWITCHYARD_SECRETS_FD: not a descriptor number";
  }
  std::string payload;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::string("SWITCHYARD_SECRETS_FD: ") + std::strerror(errno);
    if (n == 0) break;
    payload.append(buffer, static_cast<std::size_t>(n));
  }
  OPENSSL_cleanse(buffer, sizeof buffer);
  ::close(fd);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  wipe(payload);
  if (ec || !parsed.is_object()) return "SWITCHYARD_SECRETS_FD: not a JSON object";
  boost::json::object out;
  for (auto& [name, value] : parsed.as_object()) {
    if (!value.is_string()) return "SWITCHYARD_SECRETS_FD: the value of " + std::string(name) + " is not a string";
    auto& secret = value.as_string();
    out[name] = {{"sha256", sha256_hex(secret)}, {"length", secret.size()}};
    if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  }
  summary = boost::json::serialize(out);
  return {};
}

}  // namespace switchyard::demo
