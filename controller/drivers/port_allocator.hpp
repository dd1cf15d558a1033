#pragma once
// PortAllocator: hands out TCP ports from the driver's `ports:` range [min, max] for new
// instances. A port is handed out only if this allocator does not hold it already AND a test bind
// of 127.0.0.1:port succeeds (so ports used by other programs are skipped). Allocation continues
// after the last port handed out (round robin), so a just-released port is not reused at once —
// a proxy may still list it briefly. Control-thread only (not thread-safe).

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace switchyard::controller::drivers {

class PortAllocator {
 public:
  PortAllocator(std::uint16_t min, std::uint16_t max);

  // A free port, now held; nullopt when none is free, with `error` saying why.
  std::optional<std::uint16_t> allocate(std::string& error);
  // Holds `port` without a bind check (an adopted instance already listens on it). False if the
  // port is outside the range or already held.
  bool reserve(std::uint16_t port);
  void release(std::uint16_t port);

  bool holds(std::uint16_t port) const { return held_.count(port) != 0; }
  std::size_t held_count() const { return held_.size(); }

 private:
  std::uint16_t min_;
  std::uint16_t max_;
  std::uint32_t next_;  // the next port to try
  std::set<std::uint16_t> held_;
};

// True when 127.0.0.1:port can be bound now (nobody listens there).
bool port_is_free(std::uint16_t port);

}  // namespace switchyard::controller::drivers
