#pragma once
// Prometheus text exposition format 0.0.4 of every metric of SPEC §5, written by hand
// (prometheus-cpp is not packaged for Debian 12). Pure function; control thread (it reads the
// registry's control-thread state).
//
// Counters for every (route, version) slot ever used are always written, zeros included, so a
// series never disappears; route weights and guard trips follow the configuration in force.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "config/proxy_config.hpp"
#include "proxy/stats/stats_registry.hpp"

namespace switchyard::proxy::stats {

// The figures /metrics shows that the registry does not own.
struct MetricsInputs {
  std::uint64_t connections_active = 0;
  std::uint64_t reloads_applied = 0;   // switchyard_config_reloads_total{result="applied"}
  std::uint64_t reloads_rejected = 0;  // ... {result="rejected"}
  // Health of endpoint `index` of upstream `upstream` (as ordered in the config); empty = all 1.
  std::function<bool(std::string_view upstream, std::size_t index)> endpoint_healthy;
};

inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// Appends the exposition to `out` (cleared first).
void render_prometheus(const StatsRegistry& registry, const config::ProxyConfig& config,
                       const MetricsInputs& inputs, std::string& out);

// Appends `value` escaped as a label value: \ -> \\, " -> \", newline -> \n.
void append_label_value(std::string& out, std::string_view value);

}  // namespace switchyard::proxy::stats
