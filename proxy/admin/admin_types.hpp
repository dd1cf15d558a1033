#pragma once
// Plain request/response values of the admin API, free of Beast so that handlers, the router and
// ControlState can be compiled and tested without the HTTP machinery. Used on the control thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::proxy::admin {

// A refused admin call: the HTTP status (400, 404, 409, ...) and a one-line message.
struct AdminError {
  int status = 400;
  std::string message;
};

// One parsed admin request. `params` holds the {route}/{name} segments captured by the router.
struct AdminRequest {
  std::string method;  // "GET", "PUT", ...
  std::string path;    // without the query string
  std::string query;   // after '?', raw; empty when none
  std::string body;
  std::vector<std::pair<std::string, std::string>> params;
  std::string remote;  // the client's "address:port" (for logs and events)
  // Set when the request is re-run after a wait the handler asked for (AdminResponse::wait_until):
  // the deadline it chose then, so that a re-run does not start a fresh wait.
  std::optional<std::chrono::steady_clock::time_point> wait_deadline;

  // Value of path parameter `name` ("route", "name"); empty when absent.
  std::string_view param(std::string_view name) const;
  // Value of query parameter `name` (percent-decoded); `found` tells absent from empty.
  std::string query_param(std::string_view name, bool* found = nullptr) const;
};

struct AdminResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (e.g. Allow)
  // Set by a handler that has nothing to answer yet (a long poll): the server re-runs the request
  // when the next event is recorded or at this time, whichever comes first.
  std::optional<std::chrono::steady_clock::time_point> wait_until;
};

// {"error":"<message>"} with `status`.
AdminResponse error_response(int status, std::string_view message);
AdminResponse error_response(const AdminError& error);

// Decodes %XX escapes ('+' is kept as is); malformed escapes are kept literally.
std::string percent_decode(std::string_view text);

}  // namespace switchyard::proxy::admin
