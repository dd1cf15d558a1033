#pragma once
// EventLog: the proxy's recent events (weights changed, guard tripped, config reloaded, ...) in a
// bounded in-memory ring, numbered by a sequence that only grows, for GET /v1/events?since=N.
// When the ring is full the oldest event is dropped; a reader that fell behind learns how many it
// missed. An observer (the admin server, for long polls) is told after every record().
//
// Control-thread only (not thread-safe): ControlState owns it and records into it; the admin
// server reads it and registers waiters on the same thread. Free of Asio so that it is testable
// alone; the clock is injected.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace switchyard::proxy::admin {

// Event kinds (SPEC §4 names a subset; all are stable API).
namespace event_kind {
inline constexpr std::string_view kWeightsChanged = "weights_changed";
inline constexpr std::string_view kSplitChanged = "split_changed";
inline constexpr std::string_view kGuardTripped = "guard_tripped";
inline constexpr std::string_view kReverted = "reverted";
inline constexpr std::string_view kEndpointDown = "endpoint_down";
inline constexpr std::string_view kEndpointUp = "endpoint_up";
inline constexpr std::string_view kUpstreamChanged = "upstream_changed";
inline constexpr std::string_view kConfigReloaded = "config_reloaded";
inline constexpr std::string_view kConfigRejected = "config_rejected";
}  // namespace event_kind

struct Event {
  std::uint64_t seq = 0;  // 1, 2, 3, ... never reused while the process lives
  std::chrono::system_clock::time_point time;
  std::string kind;
  std::string route;           // "" when the event is not about one route
  boost::json::object detail;  // kind-specific fields, merged into the event's JSON
};

// The events after a given sequence number.
struct EventsSince {
  std::vector<Event> events;  // seq > since, oldest first
  std::uint64_t next = 0;     // newest seq recorded so far (0: none yet); pass as the next since
  std::uint64_t dropped = 0;  // events after `since` already pushed out of the ring
};

class EventLog {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  static constexpr std::size_t kDefaultCapacity = 4096;

  explicit EventLog(std::size_t capacity = kDefaultCapacity, Clock clock = {});

  // Appends an event (dropping the oldest when full), then tells the observer. Returns its seq.
  std::uint64_t record(std::string_view kind, std::string route, boost::json::object detail = {});

  // Events with seq > since. A `since` beyond the newest seq (a reader from before a restart)
  // is treated as 0: the reader gets everything still held rather than waiting forever.
  EventsSince since(std::uint64_t since) const;
  std::uint64_t last_seq() const { return next_seq_ - 1; }
  std::size_t size() const { return ring_.size(); }

  // Called after every record(), e.g. to wake long-polling admin requests. One observer; an
  // empty function removes it. The observer must not outlive what it captures: AdminServer
  // removes its own in stop().
  void set_on_record(std::function<void()> on_record) { on_record_ = std::move(on_record); }

 private:
  std::size_t capacity_;
  Clock clock_;
  std::deque<Event> ring_;
  std::uint64_t next_seq_ = 1;
  std::function<void()> on_record_;
};

// RFC 3339 UTC with milliseconds: "2024-05-01T12:34:56.789Z".
std::string rfc3339_utc(std::chrono::system_clock::time_point time);

// {"seq","time","kind","route",...detail}. Detail keys never override the four fixed ones.
boost::json::object event_to_json(const Event& event);

}  // namespace switchyard::proxy::admin
