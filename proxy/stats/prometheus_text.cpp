#include "proxy/stats/prometheus_text.hpp"

#include <array>
#include <charconv>

namespace switchyard::proxy::stats {
namespace {

constexpr std::array<std::string_view, kCodeClasses> kCodeNames = {"2xx", "3xx", "4xx", "5xx"};
constexpr std::array<std::string_view, kUpstreamKinds> kKindNames = {"connect", "timeout", "reset"};
constexpr std::array<std::string_view, kDurationBuckets> kLe = {
    "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};

void append_uint(std::string& out, std::uint64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void append_double(std::string& out, double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).push_back(' ');
  out.append(help).append("\n# TYPE ").append(name).push_back(' ');
  out.append(type).push_back('\n');
}

// Writes `name{k1="v1",k2="v2"...` without the closing brace, so callers may add labels.
void open_series(std::string& out, std::string_view name,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
  out.append(name).push_back('{');
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) out.push_back(',');
    first = false;
    out.append(key).append("=\"");
    append_label_value(out, value);
    out.push_back('"');
  }
}

void close_series(std::string& out, std::uint64_t value) {
  out.append("} ");
  append_uint(out, value);
  out.push_back('\n');
}

void render_requests(const StatsRegistry& registry, const std::vector<CumulativeTotals>& totals,
                     std::string& out) {
  header(out, "switchyard_requests_total", "counter", "Requests answered, by route, version and status class.");
  for (std::uint32_t slot = 0; slot < totals.size(); ++slot) {
    const auto& name = registry.slot_name(slot);
    for (std::size_t i = 0; i < kCodeClasses; ++i) {
      open_series(out, "switchyard_requests_total", {{"route", name.route}, {"version", name.version}, {"code", kCodeNames[i]}});
      close_series(out, totals[slot].codes[i]);
    }
  }
}

void render_durations(const StatsRegistry& registry, const std::vector<CumulativeTotals>& totals,
                      std::string& out) {
  header(out, "switchyard_request_duration_seconds", "histogram",
         "Time from request start to the last response byte.");
  for (std::uint32_t slot = 0; slot < totals.size(); ++slot) {
    const auto& name = registry.slot_name(slot);
    const auto& sum = totals[slot];
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kDurationBuckets; ++i) {
      cumulative += sum.duration_buckets[i];
      open_series(out, "switchyard_request_duration_seconds_bucket",
                  {{"route", name.route}, {"version", name.version}, {"le", kLe[i]}});
      close_series(out, cumulative);
    }
    open_series(out, "switchyard_request_duration_seconds_sum", {{"route", name.route}, {"version", name.version}});
    out.append("} ");
    append_double(out, static_cast<double>(sum.duration_sum_us) / 1e6);
    out.push_back('\n');
    open_series(out, "switchyard_request_duration_seconds_count", {{"route", name.route}, {"version", name.version}});
    close_series(out, sum.duration_count);
  }
}

void render_upstream_errors(const StatsRegistry& registry, const std::vector<CumulativeTotals>& totals,
                            std::string& out) {
  header(out, "switchyard_upstream_errors_total", "counter", "Upstream failures, by kind.");
  for (std::uint32_t slot = 0; slot < totals.size(); ++slot) {
    const auto& name = registry.slot_name(slot);
    for (std::size_t i = 0; i < kUpstreamKinds; ++i) {
      open_series(out, "switchyard_upstream_errors_total", {{"route", name.route}, {"version", name.version}, {"kind", kKindNames[i]}});
      close_series(out, totals[slot].upstream_errors[i]);
    }
  }
}

void render_config_figures(const StatsRegistry& registry, const config::ProxyConfig& config,
                           const MetricsInputs& inputs, std::string& out) {
  header(out, "switchyard_route_weight", "gauge", "Weight of each version in its route's split.");
  for (const auto& route : config.routes) {
    for (const auto& entry : route.split) {
      open_series(out, "switchyard_route_weight", {{"route", route.name}, {"version", entry.version}});
      close_series(out, entry.weight);
    }
  }
  header(out, "switchyard_guard_trips_total", "counter", "Times the route's guard reverted it.");
  for (const auto& route : config.routes) {
    open_series(out, "switchyard_guard_trips_total", {{"route", route.name}});
    close_series(out, registry.guard_trips(route.name));
  }
  header(out, "switchyard_endpoint_healthy", "gauge", "1 when the endpoint receives traffic, 0 when it is marked down.");
  std::string address;
  for (const auto& upstream : config.upstreams) {
    for (std::size_t i = 0; i < upstream.endpoints.size(); ++i) {
      address = upstream.endpoints[i].to_string();
      const bool healthy = !inputs.endpoint_healthy || inputs.endpoint_healthy(upstream.name, i);
      open_series(out, "switchyard_endpoint_healthy", {{"upstream", upstream.name}, {"endpoint", address}});
      close_series(out, healthy ? 1 : 0);
    }
  }
}

void render_process_figures(const MetricsInputs& inputs, std::string& out) {
  header(out, "switchyard_connections_active", "gauge", "Client connections open now.");
  out.append("switchyard_connections_active ");
  append_uint(out, inputs.connections_active);
  out.push_back('\n');
  header(out, "switchyard_config_reloads_total", "counter", "Configuration reloads, applied or rejected.");
  open_series(out, "switchyard_config_reloads_total", {{"result", "applied"}});
  close_series(out, inputs.reloads_applied);
  open_series(out, "switchyard_config_reloads_total", {{"result", "rejected"}});
  close_series(out, inputs.reloads_rejected);
}

}  // namespace

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out.append("\\\\"); break;
      case '"': out.append("\\\""); break;
      case '\n': out.append("\\n"); break;
      default: out.push_back(c);
    }
  }
}

void render_prometheus(const StatsRegistry& registry, const config::ProxyConfig& config,
                       const MetricsInputs& inputs, std::string& out) {
  out.clear();
  std::vector<CumulativeTotals> totals;
  totals.reserve(registry.slot_count());
  for (std::uint32_t slot = 0; slot < registry.slot_count(); ++slot) totals.push_back(registry.totals(slot));
  // About 2.2 kB per slot (26 series) plus the config figures: one allocation in the common case.
  out.reserve(2300 * totals.size() + 4096);
  render_requests(registry, totals, out);
  render_durations(registry, totals, out);
  render_upstream_errors(registry, totals, out);
  render_config_figures(registry, config, inputs, out);
  render_process_figures(inputs, out);
}

}  // namespace switchyard::proxy::stats
