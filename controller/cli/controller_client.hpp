#pragma once
// ControllerClient: the CLI's view of the controller's JSON API (docs/controller-api.md): one
// call per method, each a fresh bounded HTTP exchange carrying the bearer token. Turns every
// outcome into an ApiReply whose `message` is what the CLI prints on failure:
//   unreachable → "cannot reach the controller at URL: <reason>"
//   4xx/5xx     → the server's {"error"} text (or the status and the start of the body)
// Never throws. Owned by the main thread.

#include <chrono>
#include <string>

#include <boost/json/value.hpp>

#include "controller/cli/controller_url.hpp"

namespace switchyard::controller::cli {

struct ApiReply {
  bool ok = false;          // a 2xx answer with a JSON body
  int status = 0;           // 0: the controller was not reached
  std::string body;         // as received
  boost::json::value json;  // parsed body (null when not JSON)
  std::string message;      // empty when ok
};

class ControllerClient {
 public:
  ControllerClient(ControllerUrl url, std::string token,
                   std::chrono::milliseconds timeout = std::chrono::seconds(15));

  ApiReply get(const std::string& target) const;
  ApiReply post(const std::string& target, const std::string& body = "") const;
  ApiReply put(const std::string& target, const std::string& body) const;

  const ControllerUrl& url() const { return url_; }

 private:
  ApiReply call(const char* method, const std::string& target, const std::string& body) const;

  ControllerUrl url_;
  std::string token_;
  std::chrono::milliseconds timeout_;
};

// The token to send: the first line of `token_file` (trimmed) when given, else `env_token`
// ($SWITCHYARD_TOKEN, may be null). Returns false with `error` set when the file is unreadable
// or empty.
bool resolve_token(const std::string& token_file, const char* env_token, std::string& token,
                   std::string& error);

// A query string "?k=v&..." from pairs whose value is not empty ("" when none is).
std::string query_string(std::initializer_list<std::pair<const char*, std::string>> pairs);

}  // namespace switchyard::controller::cli
