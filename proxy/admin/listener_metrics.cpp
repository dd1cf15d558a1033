#include "proxy/admin/listener_metrics.hpp"

#include <cstdint>
#include <string_view>

#include "proxy/net/tls_context_store.hpp"
#include "proxy/stats/prometheus_text.hpp"

namespace switchyard::proxy::admin {
namespace {

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void per_listener(std::string& out, std::string_view name, const std::string& listener, std::uint64_t value) {
  out.append(name).append("{listener=\"");
  stats::append_label_value(out, listener);
  out.append("\"} ").append(std::to_string(value)).append("\n");
}

}  // namespace

void append_listener_metrics(const std::vector<net::ListenerFigures>& listeners, std::string& out) {
  header(out, "switchyard_tls_handshake_errors_total", "counter", "Failed TLS handshakes on the listeners.");
  out.append("switchyard_tls_handshake_errors_total ").append(std::to_string(net::tls_handshake_errors())).append("\n");

  header(out, "switchyard_listener_connections", "gauge", "Open client connections per listener.");
  for (const auto& listener : listeners) per_listener(out, "switchyard_listener_connections", listener.address, listener.open);

  header(out, "switchyard_listener_accept_paused_total", "counter",
         "Times a worker paused accepting because its listener was at max_connections.");
  for (const auto& listener : listeners)
    per_listener(out, "switchyard_listener_accept_paused_total", listener.address, listener.pauses);
}

}  // namespace switchyard::proxy::admin
