#pragma once
// http_call: one blocking HTTP/1.1 exchange with the controller, on a fresh connection
// (Connection: close), bounded by a deadline that covers resolve, connect, write and read.
// Runs Beast's asynchronous operations on a private io_context, so nothing outlives the call.
// Never throws: every failure comes back as a reason text. Callable from any thread.

#include <chrono>
#include <string>
#include <string_view>

#include "controller/cli/controller_url.hpp"

namespace switchyard::controller::cli {

struct HttpCallResult {
  int status = 0;       // 0: no HTTP answer arrived (see error)
  std::string body;
  std::string error;    // why no answer arrived, e.g. "Connection refused"; empty otherwise
};

struct HttpCallRequest {
  std::string method = "GET";
  std::string target;  // path and query, appended to the URL's prefix
  std::string body;    // sent as application/json when not empty (and for POST/PUT)
  std::string token;   // "Authorization: Bearer" when not empty
  std::chrono::milliseconds timeout{15000};
};

HttpCallResult http_call(const ControllerUrl& url, const HttpCallRequest& request);

}  // namespace switchyard::controller::cli
