#pragma once
#include "demo/faults.hpp"

#include <atomic>
#include <cstdint>
#include <string>

namespace switchyard::demo {

// Everything the demo backend's connections share. Thread-safe: one instance outlives all worker
// threads; `name` is immutable after start, the counters and faults are atomics.
struct DemoState {
  DemoState(std::string backend_name, FaultSettings initial)
      : name(std::move(backend_name)), faults(initial) {}

  const std::string name;
  std::string config_file;  // --config-file: served by /admin/config-file; set before the server starts
  // GET /admin/secrets: {"NAME": {"sha256", "length"}} of what the controller handed over on
  // $SWITCHYARD_SECRETS_FD (demo/secrets_input.hpp). Set before the workers start.
  std::string secrets_summary = "{}";
  Faults faults;
  std::atomic<std::uint64_t> accepts{0};   // accepted TCP connections since start
  std::atomic<std::uint64_t> heads{0};     // request heads read since start (heads - requests: in flight)
  std::atomic<std::uint64_t> requests{0};  // responses completely written since start
  std::atomic<std::uint64_t> uploads{0};       // /upload requests whose body was read
  std::atomic<std::uint64_t> upload_bytes{0};  // body bytes those requests carried
};

}  // namespace switchyard::demo
