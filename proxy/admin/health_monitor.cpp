#include "proxy/admin/health_monitor.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "proxy/admin/control_state.hpp"
#include "proxy/admin/health_probe.hpp"
#include "proxy/routing/endpoint_health_rules.hpp"
#include "proxy/stats/worker_stats.hpp"

namespace switchyard::proxy::admin {
namespace json = boost::json;

namespace {

bool others_usable(const routing::Upstream& upstream, std::size_t index) {
  for (std::size_t i = 0; i < upstream.endpoints.size(); ++i) {
    if (i != index && upstream.endpoints[i].usable()) return true;
  }
  return false;
}

}  // namespace

HealthMonitor::HealthMonitor(boost::asio::io_context& control, ControlState& state, std::chrono::milliseconds period,
                             Clock now_ms)
    : control_(control), state_(state), timer_(control), period_(period),
      now_ms_(now_ms ? std::move(now_ms) : Clock(stats::steady_now_ms)) {}

void HealthMonitor::start() {
  running_ = true;
  schedule();
}

void HealthMonitor::stop() {
  running_ = false;
  timer_.cancel();
}

void HealthMonitor::schedule() {
  if (!running_) return;
  timer_.expires_after(period_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || !running_) return;
    tick(now_ms_());
    schedule();
  });
}

void HealthMonitor::tick(std::int64_t now_ms) {
  const auto table = state_.table();
  if (!table) return;
  for (const auto& upstream : table->upstreams()) {
    const auto* config = state_.find_upstream(upstream.name);
    if (config == nullptr) continue;  // cannot happen: table and config are committed together
    for (std::size_t i = 0; i < upstream.endpoints.size(); ++i) check_endpoint(upstream, *config, i, now_ms);
  }
}

void HealthMonitor::check_endpoint(const routing::Upstream& upstream, const config::UpstreamConfig& config,
                                   std::size_t index, std::int64_t now_ms) {
  const auto& endpoint = upstream.endpoints[index];
  if (!endpoint.health) return;
  active_step(endpoint, config, now_ms);
  publish(upstream, endpoint, endpoint.health->control.active_healthy ? "health check passed" : "health check failed");
  passive_step(upstream, config, index, now_ms);
}

void HealthMonitor::active_step(const routing::Endpoint& endpoint, const config::UpstreamConfig& config,
                                std::int64_t now_ms) {
  auto& control = endpoint.health->control;
  if (!config.health_check) {
    // Checks removed (PUT /v1/upstreams, reload): nothing judges the endpoint actively any more.
    control.active_healthy = true;
    control.check_failures = 0;
    control.probe_result.reset();
    return;
  }
  const auto& check = *config.health_check;
  if (control.probe_result) {
    apply_check(control, *control.probe_result, check, now_ms);
    control.probe_result.reset();
  }
  if (!control.probe_in_flight && now_ms >= control.next_check_ms) {
    control.next_check_ms = now_ms + check.interval_ms;
    start_health_probe(control_, endpoint, check.path, std::chrono::milliseconds(check.timeout_ms));
  }
}

void HealthMonitor::passive_step(const routing::Upstream& upstream, const config::UpstreamConfig& config,
                                 std::size_t index, std::int64_t now_ms) {
  const auto& endpoint = upstream.endpoints[index];
  auto& health = *endpoint.health;
  auto& control = health.control;
  const auto& outlier = config.outlier_detection;
  if (!outlier.enabled) {
    control.ejected = false;
    publish(upstream, endpoint, "outlier detection disabled");
    return;
  }
  const auto failures = health.consecutive_failures();
  switch (routing::step_outlier(control, failures, others_usable(upstream, index), outlier, now_ms)) {
    case routing::EjectionChange::ejected:
      control.last_error = std::to_string(failures) + " consecutive failures";
      spdlog::warn("upstream {}: endpoint {} ejected for {} ms after {} consecutive failures (ejection #{})",
                   upstream.name, endpoint.key, control.ejected_until_ms - now_ms, failures, control.ejections);
      publish(upstream, endpoint, "ejected");
      break;
    case routing::EjectionChange::returned:
      health.clear_failures();  // a fresh streak: one more failure must not eject it again at once
      spdlog::info("upstream {}: endpoint {} ejection ended", upstream.name, endpoint.key);
      publish(upstream, endpoint, "ejection ended");
      break;
    case routing::EjectionChange::kept_last:
      spdlog::warn("upstream {}: endpoint {} failed {} times in a row but is the last usable endpoint: not ejecting it",
                   upstream.name, endpoint.key, failures);
      break;
    case routing::EjectionChange::none: break;
  }
}

void HealthMonitor::publish(const routing::Upstream& upstream, const routing::Endpoint& endpoint, const char* reason) {
  auto& health = *endpoint.health;
  const bool was = health.usable();
  health.refresh_usable();
  const bool now = health.usable();
  if (was == now) return;
  const auto& control = health.control;
  json::object detail{{"upstream", upstream.name}, {"endpoint", endpoint.key}, {"reason", reason}};
  if (control.last_error.empty()) {
    detail["error"] = nullptr;
  } else {
    detail["error"] = control.last_error;
  }
  if (now) {
    spdlog::info("upstream {}: endpoint {} up ({})", upstream.name, endpoint.key, reason);
  } else {
    spdlog::warn("upstream {}: endpoint {} down ({}; last error: {})", upstream.name, endpoint.key, reason,
                 control.last_error.empty() ? "none" : control.last_error);
  }
  state_.record_event(now ? event_kind::kEndpointUp : event_kind::kEndpointDown, {}, std::move(detail));
}

}  // namespace switchyard::proxy::admin
