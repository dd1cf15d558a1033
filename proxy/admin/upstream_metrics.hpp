#pragma once
// switchyard_upstream_overflow_total{upstream,kind}: requests refused by an upstream's circuit
// breakers (kind: max_connections, max_pending, max_requests), from the snapshot's shared
// per-upstream counters. Control thread.

#include <string>

#include "proxy/routing/route_table.hpp"

namespace switchyard::proxy::admin {

// Appends the metric family (all three kinds per upstream, zeros included) to `out`.
void append_upstream_overflow_metrics(const routing::RouteTable& table, std::string& out);

}  // namespace switchyard::proxy::admin
