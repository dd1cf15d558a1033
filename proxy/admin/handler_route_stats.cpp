// GET /v1/routes/{route}/stats: each version's requests, errors, error rate and latency
// quantiles over the route's guard window (10 s without a guard), summed over the workers.
#include <algorithm>

#include <boost/json.hpp>

#include "proxy/admin/admin_json.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"
#include "proxy/stats/stats_registry.hpp"

namespace switchyard::proxy::admin {
namespace {

constexpr std::uint32_t kDefaultWindowMs = 10000;
constexpr std::uint32_t kLongestWindowMs = stats::kMaxWindowBuckets * stats::kBucketMs;

boost::json::object summary_to_json(const stats::WindowSummary& summary) {
  return {{"requests", summary.requests}, {"errors", summary.errors},
          {"error_rate", summary.error_rate}, {"p50_ms", summary.p50_ms},
          {"p90_ms", summary.p90_ms}, {"p99_ms", summary.p99_ms}};
}

}  // namespace

AdminResponse handle_route_stats(AdminContext& context, const AdminRequest& request) {
  const auto name = request.param("route");
  const auto* route = context.state.find_route(name);
  if (route == nullptr) return error_response(404, "no such route: " + std::string(name));
  // The registry sums at most 60 s: say which window the figures really cover.
  const std::uint32_t window_ms =
      std::min(route->guard ? route->guard->window_ms : kDefaultWindowMs, kLongestWindowMs);
  const auto* registry = context.state.stats();
  const auto now_ms = stats::steady_now_ms();
  boost::json::object versions;
  for (const auto& entry : route->split) {
    stats::WindowSummary summary;
    const auto slot = registry != nullptr ? registry->find_slot(route->name, entry.version) : std::nullopt;
    if (slot) summary = registry->window(*slot, window_ms, now_ms);
    versions[entry.version] = summary_to_json(summary);
  }
  return json_response(200, boost::json::object{{"window_ms", window_ms}, {"versions", std::move(versions)}});
}

}  // namespace switchyard::proxy::admin
