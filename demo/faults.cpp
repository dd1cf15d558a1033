#include "demo/faults.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <random>

namespace switchyard::demo {

namespace json = boost::json;

namespace {
// An hour is far beyond any test or demo need; larger values are almost certainly typos.
constexpr long kMaxLatencyMs = 3'600'000;

// Reads a JSON number as double; false for any other kind.
bool number_of(const json::value& v, double& out) {
  if (v.is_double()) {
    out = v.get_double();
  } else if (v.is_int64()) {
    out = static_cast<double>(v.get_int64());
  } else if (v.is_uint64()) {
    out = static_cast<double>(v.get_uint64());
  } else {
    return false;
  }
  return true;
}
}  // namespace

bool valid_error_rate(double rate) { return std::isfinite(rate) && rate >= 0.0 && rate <= 1.0; }
bool valid_latency_ms(long ms) { return ms >= 0 && ms <= kMaxLatencyMs; }

Faults::Faults(FaultSettings initial)
    : error_rate_(initial.error_rate), latency_ms_(initial.latency_ms), healthz_status_(initial.healthz_status) {}

FaultSettings Faults::get() const {
  return {error_rate_.load(std::memory_order_relaxed), latency_ms_.load(std::memory_order_relaxed),
          healthz_status_.load(std::memory_order_relaxed)};
}

void Faults::set(FaultSettings settings) {
  error_rate_.store(settings.error_rate, std::memory_order_relaxed);
  latency_ms_.store(settings.latency_ms, std::memory_order_relaxed);
  healthz_status_.store(settings.healthz_status, std::memory_order_relaxed);
}

std::string Faults::apply_json(std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return "body: must be a JSON object";
  FaultSettings next = get();
  for (const auto& [key, value] : doc.as_object()) {
    double number = 0;
    if (key == "error_rate") {
      if (!number_of(value, number) || !valid_error_rate(number))
        return "error_rate: must be a number between 0 and 1";
      next.error_rate = number;
    } else if (key == "latency_ms") {
      // Range check before the cast: casting an out-of-range double is undefined.
      if (!number_of(value, number) || number < 0 || number > kMaxLatencyMs ||
          number != std::floor(number))
        return "latency_ms: must be an integer between 0 and 3600000";
      next.latency_ms = static_cast<long>(number);
    } else if (key == "healthz_status") {
      if (!number_of(value, number) || number < 100 || number > 599 || number != std::floor(number))
        return "healthz_status: must be an HTTP status between 100 and 599";
      next.healthz_status = static_cast<int>(number);
    } else {
      return std::string(key) + ": unknown key";
    }
  }
  set(next);
  return {};
}

std::string Faults::to_json() const {
  FaultSettings now = get();
  json::object obj;
  obj["error_rate"] = now.error_rate;
  obj["latency_ms"] = now.latency_ms;
  obj["healthz_status"] = now.healthz_status;
  return json::serialize(obj);
}

bool Faults::should_fail() const {
  double rate = error_rate_.load(std::memory_order_relaxed);
  if (rate <= 0.0) return false;
  if (rate >= 1.0) return true;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < rate;
}

}  // namespace switchyard::demo
