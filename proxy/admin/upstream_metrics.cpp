#include "proxy/admin/upstream_metrics.hpp"

#include <atomic>
#include <cstdint>
#include <utility>

#include "proxy/stats/prometheus_text.hpp"

namespace switchyard::proxy::admin {

void append_upstream_overflow_metrics(const routing::RouteTable& table, std::string& out) {
  out += "# HELP switchyard_upstream_overflow_total Requests refused by an upstream's connection or request limits.\n";
  out += "# TYPE switchyard_upstream_overflow_total counter\n";
  for (const auto& upstream : table.upstreams()) {
    if (!upstream.runtime) continue;
    const auto& runtime = *upstream.runtime;
    const std::pair<const char*, std::uint64_t> kinds[] = {
        {"max_connections", runtime.overflow_connections.load(std::memory_order_relaxed)},
        {"max_pending", runtime.overflow_pending.load(std::memory_order_relaxed)},
        {"max_requests", runtime.overflow_requests.load(std::memory_order_relaxed)}};
    for (const auto& [kind, count] : kinds) {
      out += "switchyard_upstream_overflow_total{upstream=\"";
      stats::append_label_value(out, upstream.name);
      out += "\",kind=\"";
      out += kind;
      out += "\"} ";
      out += std::to_string(count);
      out += '\n';
    }
  }
}

}  // namespace switchyard::proxy::admin
