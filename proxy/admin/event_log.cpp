#include "proxy/admin/event_log.hpp"

#include <ctime>
#include <utility>

#include <fmt/format.h>

namespace switchyard::proxy::admin {

EventLog::EventLog(std::size_t capacity, Clock clock)
    : capacity_(capacity == 0 ? 1 : capacity), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

std::uint64_t EventLog::record(std::string_view kind, std::string route,
                               boost::json::object detail) {
  if (ring_.size() == capacity_) ring_.pop_front();
  const std::uint64_t seq = next_seq_++;
  ring_.push_back(Event{seq, clock_(), std::string(kind), std::move(route), std::move(detail)});
  if (on_record_) on_record_();
  return seq;
}

EventsSince EventLog::since(std::uint64_t since) const {
  EventsSince out;
  out.next = last_seq();
  if (since > out.next) since = 0;
  if (!ring_.empty() && ring_.front().seq > since + 1) out.dropped = ring_.front().seq - since - 1;
  for (const auto& event : ring_) {
    if (event.seq > since) out.events.push_back(event);
  }
  return out;
}

std::string rfc3339_utc(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(std::chrono::floor<std::chrono::seconds>(ms).count());
  const auto millis = static_cast<int>(ms.count() - static_cast<std::int64_t>(seconds) * 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

boost::json::object event_to_json(const Event& event) {
  boost::json::object out;
  out["seq"] = event.seq;
  out["time"] = rfc3339_utc(event.time);
  out["kind"] = event.kind;
  out["route"] = event.route;
  for (const auto& [key, value] : event.detail) {
    if (!out.contains(key)) out[key] = value;
  }
  return out;
}

}  // namespace switchyard::proxy::admin
