#pragma once
#include <atomic>
#include <string>
#include <string_view>

namespace switchyard::demo {

// One consistent view of the injected faults.
struct FaultSettings {
  double error_rate = 0.0;  // share of answers that become 500, 0..1
  long latency_ms = 0;      // delay before answering, >= 0
  int healthz_status = 200; // what GET /healthz answers (100..599): lets tests fail health checks
};

// The demo backend's run-time fault knobs. Thread-safe: every worker reads them on each request
// and the admin endpoint may change them from any worker, so both values are atomics. The two
// values are independent knobs, so a reader seeing one old and one new value is harmless.
class Faults {
 public:
  explicit Faults(FaultSettings initial);

  FaultSettings get() const;
  void set(FaultSettings settings);

  // Applies a JSON body such as {"error_rate":0.3,"latency_ms":50,"healthz_status":503} (every key optional).
  // On success stores the result and returns an empty string; otherwise returns a message naming
  // the offending field and changes nothing.
  std::string apply_json(std::string_view body);

  // The current settings as a JSON object.
  std::string to_json() const;

  // Draws once: true with probability error_rate. Uses a thread-local generator.
  bool should_fail() const;

 private:
  std::atomic<double> error_rate_;
  std::atomic<long> latency_ms_;
  std::atomic<int> healthz_status_;
};

// Validation shared by the command line and the admin endpoint.
bool valid_error_rate(double rate);
bool valid_latency_ms(long ms);

}  // namespace switchyard::demo
