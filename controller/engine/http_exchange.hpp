#pragma once
// http_exchange: one blocking HTTP/1.1 request to a plain http:// URL (hooks' `http:` and
// webhooks), on a fresh connection, with arbitrary method, headers and body. One deadline bounds
// resolve, connect, write and read; Beast's asynchronous operations run on a private io_context,
// so nothing outlives the call. Never throws. Callable from any thread (no shared state).

#include <chrono>
#include <map>
#include <string>

namespace switchyard::controller::engine {

struct HttpExchangeRequest {
  std::string method = "GET";
  std::string url;  // http://host:port/path?query
  std::map<std::string, std::string> headers;
  std::string body;  // sent with Content-Type application/json unless headers name one
  std::chrono::milliseconds timeout{2000};
  std::size_t body_limit = 1024 * 1024;
};

struct HttpExchangeResult {
  int status = 0;      // 0: no HTTP answer (see error)
  std::string body;
  std::string error;   // why no answer: "timed out after 2000 ms", "Connection refused", a bad URL...
  bool timed_out = false;
};

HttpExchangeResult http_exchange(const HttpExchangeRequest& request);

}  // namespace switchyard::controller::engine
