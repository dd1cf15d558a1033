#include "proxy/routing/endpoint_health_rules.hpp"

#include <algorithm>

namespace switchyard::proxy::routing {

HealthChange apply_check(EndpointControlState& state, const ProbeResult& result,
                         const config::HealthCheckConfig& check, std::int64_t now_ms) {
  state.last_check_ms = now_ms;
  if (result.ok) {
    state.check_failures = 0;
    ++state.check_successes;
    if (!state.active_healthy && state.check_successes >= check.healthy) {
      state.active_healthy = true;
      return HealthChange::went_up;
    }
    return HealthChange::none;
  }
  state.last_error = result.error;
  state.check_successes = 0;
  ++state.check_failures;
  if (state.active_healthy && state.check_failures >= check.unhealthy) {
    state.active_healthy = false;
    return HealthChange::went_down;
  }
  return HealthChange::none;
}

std::int64_t ejection_ms(std::uint32_t ejections, const config::OutlierDetectionConfig& outlier) {
  const std::int64_t grown = static_cast<std::int64_t>(outlier.base_ejection_ms) * std::max<std::uint32_t>(ejections, 1);
  return std::min<std::int64_t>(grown, outlier.max_ejection_ms);
}

EjectionChange step_outlier(EndpointControlState& state, std::uint32_t consecutive_failures,
                            bool others_usable, const config::OutlierDetectionConfig& outlier,
                            std::int64_t now_ms) {
  if (state.ejected) {
    if (now_ms < state.ejected_until_ms) return EjectionChange::none;
    state.ejected = false;
    state.usable_since_ms = now_ms;
    return EjectionChange::returned;
  }
  // Decay: each quiet max_ejection_ms (usable, never ejected meanwhile) forgives one ejection,
  // so an endpoint that failed once long ago starts again from the base ejection time.
  if (state.ejections > 0 && now_ms - state.usable_since_ms >= outlier.max_ejection_ms) {
    --state.ejections;
    state.usable_since_ms = now_ms;
  }
  if (consecutive_failures < outlier.consecutive_failures) {
    state.last_endpoint_warned = false;
    return EjectionChange::none;
  }
  if (!others_usable) {
    if (state.last_endpoint_warned) return EjectionChange::none;
    state.last_endpoint_warned = true;
    return EjectionChange::kept_last;
  }
  ++state.ejections;
  state.ejected = true;
  state.ejected_until_ms = now_ms + ejection_ms(state.ejections, outlier);
  state.last_endpoint_warned = false;
  return EjectionChange::ejected;
}

}  // namespace switchyard::proxy::routing
