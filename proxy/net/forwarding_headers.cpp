#include "proxy/net/forwarding_headers.hpp"
#include "common/ascii_case.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <string>
#include <vector>

namespace switchyard::proxy::net {
namespace http = boost::beast::http;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename Fn>
void for_each_token(std::string_view value, Fn&& fn) {
  while (!value.empty()) {
    auto comma = value.find(',');
    auto token = trim(value.substr(0, comma));
    if (!token.empty()) fn(token);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

bool has_token(std::string_view header_value, std::string_view token) {
  bool found = false;
  for_each_token(header_value, [&](std::string_view t) {
    if (ascii_iequals(t, token)) found = true;
  });
  return found;
}

bool names_fields(std::string_view connection_value) {
  bool named = false;
  for_each_token(connection_value, [&](std::string_view token) {
    if (!ascii_iequals(token, "close") && !ascii_iequals(token, "keep-alive")) named = true;
  });
  return named;
}

void remove_hop_by_hop(http::fields& fields) {
  // Headers named by Connection are hop-by-hop too; collect before erasing Connection.
  std::vector<std::string> named;
  for (auto it = fields.find(http::field::connection); it != fields.end() && it->name() == http::field::connection; ++it) {
    for_each_token(it->value(), [&](std::string_view token) {
      if (!ascii_iequals(token, "close") && !ascii_iequals(token, "keep-alive"))
        named.emplace_back(token);
    });
  }
  for (const auto& name : named) {
    // Never let Connection remove framing headers: that would change the message's length.
    if (ascii_iequals(name, "content-length") || ascii_iequals(name, "transfer-encoding")) continue;
    fields.erase(name);
  }
  fields.erase(http::field::connection);
  fields.erase(http::field::keep_alive);
  fields.erase(http::field::proxy_connection);
  fields.erase(http::field::te);
  fields.erase(http::field::trailer);
  fields.erase(http::field::upgrade);
}

void add_forwarded(http::fields& fields, std::string_view client_ip, std::string_view proto) {
  auto existing = fields["X-Forwarded-For"];
  if (existing.empty()) {
    fields.set("X-Forwarded-For", client_ip);
  } else {
    std::string value;
    value.reserve(existing.size() + 2 + client_ip.size());
    value.append(existing.data(), existing.size()).append(", ").append(client_ip);
    fields.set("X-Forwarded-For", value);
  }
  fields.set("X-Forwarded-Proto", proto);
  auto host = fields[http::field::host];
  if (!host.empty()) fields.set("X-Forwarded-Host", host);
}

}  // namespace switchyard::proxy::net
