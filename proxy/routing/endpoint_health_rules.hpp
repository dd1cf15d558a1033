#pragma once
// The rules of active and passive endpoint health as pure functions on EndpointControlState, so
// that thresholds, backoff and decay are unit-testable without sockets or clocks.
// Control-thread only (they touch EndpointHealth::control). See docs/health.md.

#include <cstdint>
#include <string>

#include "config/proxy_config.hpp"
#include "proxy/routing/endpoint_health.hpp"

namespace switchyard::proxy::routing {

enum class HealthChange { none, went_down, went_up };

// Applies one active check result at `now_ms`: `unhealthy` consecutive failures take a healthy
// endpoint down, `healthy` consecutive successes bring an unhealthy one back.
HealthChange apply_check(EndpointControlState& state, const ProbeResult& result,
                         const config::HealthCheckConfig& check, std::int64_t now_ms);

// How long the `ejections`-th ejection (1-based) lasts: base × ejections, capped at max.
std::int64_t ejection_ms(std::uint32_t ejections, const config::OutlierDetectionConfig& outlier);

// What the outlier ticker decided for one endpoint.
enum class EjectionChange { none, ejected, returned, kept_last };

// One outlier-detection step at `now_ms`: ends an expired ejection, decays the ejection count
// after a quiet max_ejection_ms, and ejects when the failure streak reached the threshold —
// unless `others_usable` is false (never eject the last usable endpoint: kept_last instead).
EjectionChange step_outlier(EndpointControlState& state, std::uint32_t consecutive_failures,
                            bool others_usable, const config::OutlierDetectionConfig& outlier,
                            std::int64_t now_ms);

}  // namespace switchyard::proxy::routing
