// GET /v1/events?since=N[&wait_ms=M]: the recorded events with seq > N, oldest first, and "next"
// (the newest seq) to pass as the following since. With wait_ms (at most 30000) and nothing newer
// than N, the answer is held until an event is recorded or the time is up (a long poll): the
// handler asks the server to re-run it (AdminResponse::wait_until) rather than blocking the
// control thread.
#include <charconv>
#include <chrono>

#include <boost/json.hpp>

#include "proxy/admin/admin_json.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {
namespace {

constexpr std::uint64_t kMaxWaitMs = 30000;

// An absent parameter is `fallback`; anything but decimal digits is refused.
bool read_uint(const AdminRequest& request, std::string_view name, std::uint64_t fallback,
               std::uint64_t& out) {
  bool found = false;
  const auto text = request.query_param(name, &found);
  out = fallback;
  if (!found) return true;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return result.ec == std::errc{};
}

}  // namespace

AdminResponse handle_get_events(AdminContext& context, const AdminRequest& request) {
  std::uint64_t since = 0;
  std::uint64_t wait_ms = 0;
  if (!read_uint(request, "since", 0, since)) {
    return error_response(400, "since: must be a non-negative integer");
  }
  if (!read_uint(request, "wait_ms", 0, wait_ms) || wait_ms > kMaxWaitMs) {
    return error_response(400, "wait_ms: must be an integer from 0 to 30000");
  }
  const auto found = context.state.events().since(since);
  const auto now = std::chrono::steady_clock::now();
  if (found.events.empty() && wait_ms > 0) {
    const auto deadline =
        request.wait_deadline.value_or(now + std::chrono::milliseconds(wait_ms));
    if (now < deadline) {
      AdminResponse waiting;
      waiting.wait_until = deadline;
      return waiting;
    }
  }
  boost::json::array events;
  for (const auto& event : found.events) events.push_back(event_to_json(event));
  boost::json::object body{{"events", std::move(events)}, {"next", found.next}};
  if (found.dropped > 0) body["dropped"] = found.dropped;
  return json_response(200, body);
}

}  // namespace switchyard::proxy::admin
