#include "controller/cli/controller_url.hpp"

#include <cctype>
#include <charconv>

namespace switchyard::controller::cli {
namespace {

bool valid_port(const std::string& port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

}  // namespace

std::optional<ControllerUrl> parse_controller_url(const std::string& text, std::string& error) {
  ControllerUrl url;
  url.text = text;
  std::string rest = text;
  const auto scheme_end = rest.find("://");
  if (scheme_end != std::string::npos) {
    if (rest.substr(0, scheme_end) != "http") {
      error = "'" + text + "' is not an http:// URL";
      return std::nullopt;
    }
    rest = rest.substr(scheme_end + 3);
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) {
    url.prefix = rest.substr(slash);
    while (!url.prefix.empty() && url.prefix.back() == '/') url.prefix.pop_back();
  }
  std::string port = "80";
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string::npos) {
      error = "'" + text + "': unterminated '[' in the host";
      return std::nullopt;
    }
    url.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "'" + text + "': expected ':' after ']'";
        return std::nullopt;
      }
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) {
    error = "'" + text + "' has no host";
    return std::nullopt;
  }
  if (!valid_port(port)) {
    error = "'" + text + "': the port must be an integer 1..65535";
    return std::nullopt;
  }
  url.port = port;
  return url;
}

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace switchyard::controller::cli
