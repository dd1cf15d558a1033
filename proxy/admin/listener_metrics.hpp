#pragma once
// The listener-side metric families of GET /metrics beyond SPEC §5:
//   switchyard_tls_handshake_errors_total            failed TLS handshakes, all listeners
//   switchyard_listener_connections{listener}         open client connections (gauge)
//   switchyard_listener_accept_paused_total{listener} accept pauses at max_connections
// Control thread; the figures come from atomics the workers update.

#include <string>
#include <vector>

#include "proxy/net/listener_figures.hpp"

namespace switchyard::proxy::admin {

// Appends the three families to `out`; a listener family has one series per listener in
// `listeners` (zeros included, so a series never disappears).
void append_listener_metrics(const std::vector<net::ListenerFigures>& listeners, std::string& out);

}  // namespace switchyard::proxy::admin
