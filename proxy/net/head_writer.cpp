#include "proxy/net/head_writer.hpp"

#include <boost/beast/http/status.hpp>

#include "common/ascii_case.hpp"
#include "proxy/net/flat_response_head.hpp"
#include "proxy/net/forwarding_headers.hpp"

namespace switchyard::proxy::net {
namespace http = boost::beast::http;

HeadWriter& HeadWriter::append_number(unsigned value) {
  char digits[10];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  char text[10];
  for (std::size_t i = 0; i < n; ++i) text[i] = digits[n - 1 - i];
  return append(std::string_view(text, n));
}

namespace {

std::string_view view(boost::core::string_view text) { return {text.data(), text.size()}; }

void write_field(HeadWriter& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

bool is_forwarded_field(std::string_view name) {
  return ascii_iequals(name, "x-forwarded-for") || ascii_iequals(name, "x-forwarded-proto") ||
         ascii_iequals(name, "x-forwarded-host");
}

// remove_hop_by_hop's rule for a field name: the fixed hop-by-hop set, or named by a Connection
// field (never the framing). `connection_names`: some Connection field names fields at all.
bool is_hop_by_hop(const http::request_header<>& head, bool connection_names, http::field known,
                   std::string_view name) {
  switch (known) {
    case http::field::connection: case http::field::keep_alive: case http::field::proxy_connection:
    case http::field::te: case http::field::trailer: case http::field::upgrade: return true;
    case http::field::content_length: case http::field::transfer_encoding: return false;
    default: break;
  }
  if (!connection_names) return false;
  for (auto it = head.find(http::field::connection); it != head.end() && it->name() == http::field::connection; ++it) {
    if (has_token(view(it->value()), name)) return true;
  }
  return false;
}

}  // namespace

void write_request_head(const http::request_header<>& head, const ForwardingEdits* edits, HeadWriter& out) {
  out.append(view(head.method_string())).append(" ").append(view(head.target())).append(" HTTP/1.1\r\n");
  if (edits == nullptr) {
    for (const auto& field : head) write_field(out, view(field.name_string()), view(field.value()));
    out.append("\r\n");
    return;
  }
  bool connection_names = false;  // usually none: then no field needs looking up in Connection
  for (auto it = head.find(http::field::connection); it != head.end() && it->name() == http::field::connection; ++it)
    connection_names = connection_names || names_fields(view(it->value()));
  std::string_view forwarded_for;  // the first one: add_forwarded extends it
  bool seen_forwarded_for = false;
  for (const auto& field : head) {
    const auto name = view(field.name_string());
    if (is_forwarded_field(name)) {
      if (!seen_forwarded_for && ascii_iequals(name, "x-forwarded-for")) {
        forwarded_for = view(field.value());
        seen_forwarded_for = true;
      }
      continue;  // replaced below
    }
    if (is_hop_by_hop(head, connection_names, field.name(), name)) continue;
    write_field(out, name, view(field.value()));
  }
  // add_forwarded's fields, unless Connection names them (remove_hop_by_hop would drop them).
  const auto named = [&](std::string_view name) { return is_hop_by_hop(head, connection_names, http::field::unknown, name); };
  if (!named("X-Forwarded-For")) {
    out.append("X-Forwarded-For: ");
    if (!forwarded_for.empty()) out.append(forwarded_for).append(", ");
    out.append(edits->client_ip).append("\r\n");
  }
  if (!named("X-Forwarded-Proto")) write_field(out, "X-Forwarded-Proto", edits->proto);
  const auto host = view(head[http::field::host]);
  if (!host.empty() && !named("X-Forwarded-Host")) write_field(out, "X-Forwarded-Host", host);
  out.append("\r\n");
}

void write_response_head(const FlatResponseHead& head, std::string_view set_cookie, bool keep_alive,
                         HeadWriter& out) {
  std::string_view reason = head.reason();
  if (reason.empty()) {
    const auto standard = http::obsolete_reason(static_cast<http::status>(head.status()));
    reason = std::string_view(standard.data(), standard.size());
  }
  out.append("HTTP/1.1 ").append_number(head.status()).append(" ").append(reason).append("\r\n");
  for (std::size_t i = 0; i < head.field_count(); ++i) {
    const auto& field = head.field(i);
    if (head.is_hop_by_hop(field.name)) continue;
    out.append(field.name).append(": ").append(field.value).append("\r\n");
  }
  if (!set_cookie.empty()) out.append("Set-Cookie: ").append(set_cookie).append("\r\n");
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
}

}  // namespace switchyard::proxy::net
