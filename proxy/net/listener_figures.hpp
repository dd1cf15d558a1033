#pragma once
// ListenerFigures: one listener's max_connections gate as read for GET /metrics
// (switchyard_listener_connections, switchyard_listener_accept_paused_total). A plain value the
// control thread copies out of the DataPlane's gates (atomics) when it renders the metrics.

#include <cstdint>
#include <string>

namespace switchyard::proxy::net {

struct ListenerFigures {
  std::string address;          // "host:port" as bound
  std::uint32_t open = 0;       // open client connections, all workers together
  std::uint64_t pauses = 0;     // times a worker paused accepting at max_connections
};

}  // namespace switchyard::proxy::net
