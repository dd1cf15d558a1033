// HostPort parsing and printing: the one place that knows the "host:port" / "[v6]:port" syntax.
#include <arpa/inet.h>

#include <charconv>
#include <string>
#include <string_view>

#include "config/load_proxy_config.hpp"

namespace switchyard::config {
namespace {

bool is_ipv4_literal(const std::string& host) {
  in_addr addr{};
  return ::inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6_literal(const std::string& host) {
  in6_addr addr{};
  return ::inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// Only decimal digits: "+80", " 80" and "0x50" are not ports.
std::string parse_port(std::string_view text, std::uint16_t& out) {
  const std::string error = "port must be a number 0..65535";
  if (text.empty() || text.size() > 5) return error;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return error;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return error;
  out = static_cast<std::uint16_t>(value);
  return {};
}

}  // namespace

std::string HostPort::to_string() const {
  const std::string port_text = std::to_string(port);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port_text;
  return host + ":" + port_text;
}

std::string parse_host_port(std::string_view text, HostPort& out) {
  std::string host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return "missing ']' after IPv6 address";
    host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':') return "must be host:port";
    port_text = text.substr(close + 2);
    if (!is_ipv6_literal(host)) return "invalid IPv6 address '" + host + "'";
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return "must be host:port";
    host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) return "IPv6 address must be in brackets, e.g. [::1]:80";
    // The one name we accept: resolving names would make the config depend on DNS at startup.
    if (host == "localhost") host = "127.0.0.1";
    if (!is_ipv4_literal(host)) return "must be an IP literal, got '" + host + "'";
  }
  std::uint16_t port = 0;
  if (auto error = parse_port(port_text, port); !error.empty()) return error;
  out.host = std::move(host);
  out.port = port;
  return {};
}

}  // namespace switchyard::config
