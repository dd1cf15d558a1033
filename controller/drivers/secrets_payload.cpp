#include "controller/drivers/secrets_payload.hpp"

#include <string.h>

namespace switchyard::controller::drivers {
namespace {

void append_json_string(std::string& out, const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    } else {
      out.push_back(c);  // UTF-8 passes through unchanged
    }
  }
  out.push_back('"');
}

}  // namespace

std::string secrets_payload(const std::map<std::string, std::string>& secrets) {
  if (secrets.empty()) return {};
  std::string out = "{";
  for (const auto& [name, value] : secrets) {
    if (out.size() > 1) out.push_back(',');
    append_json_string(out, name);
    out.push_back(':');
    append_json_string(out, value);
  }
  out.push_back('}');
  return out;
}

void wipe_bytes(std::string& text) {
  if (!text.empty()) ::explicit_bzero(text.data(), text.size());
  text.clear();
}

}  // namespace switchyard::controller::drivers
