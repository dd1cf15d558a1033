#include "proxy/net/head_writer.hpp"

#include <boost/beast/http/status.hpp>

#include "proxy/net/flat_response_head.hpp"

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

void write_request_head(const http::request_header<>& head, HeadWriter& out) {
  const auto method = head.method_string();
  const auto target = head.target();
  out.append(std::string_view(method.data(), method.size()))
      .append(" ")
      .append(std::string_view(target.data(), target.size()))
      .append(" HTTP/1.1\r\n");
  for (const auto& field : head) {
    const auto name = field.name_string();
    const auto value = field.value();
    out.append(std::string_view(name.data(), name.size()))
        .append(": ")
        .append(std::string_view(value.data(), value.size()))
        .append("\r\n");
  }
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
