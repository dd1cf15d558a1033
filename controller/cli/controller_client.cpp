#include "controller/cli/controller_client.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>

#include "controller/cli/http_call.hpp"

namespace switchyard::controller::cli {
namespace {

std::string trimmed(const std::string& text) {
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(start, end - start + 1);
}

// The server's {"error": "..."} text, or the status with the start of the body.
std::string failure_text(int status, const boost::json::value& json, const std::string& body) {
  if (json.is_object()) {
    const auto* error = json.get_object().if_contains("error");
    if (error != nullptr && error->is_string()) return std::string(error->get_string());
  }
  std::string text = "the controller answered HTTP " + std::to_string(status);
  const std::string start = trimmed(body).substr(0, 200);
  if (!start.empty()) text += ": " + start;
  return text;
}

}  // namespace

ControllerClient::ControllerClient(ControllerUrl url, std::string token,
                                   std::chrono::milliseconds timeout)
    : url_(std::move(url)), token_(std::move(token)), timeout_(timeout) {}

ApiReply ControllerClient::get(const std::string& target) const { return call("GET", target, ""); }

ApiReply ControllerClient::post(const std::string& target, const std::string& body) const {
  return call("POST", target, body);
}

ApiReply ControllerClient::put(const std::string& target, const std::string& body) const {
  return call("PUT", target, body);
}

ApiReply ControllerClient::call(const char* method, const std::string& target,
                                const std::string& body) const {
  HttpCallRequest request{method, target, body, token_, timeout_};
  HttpCallResult result = http_call(url_, request);
  ApiReply reply;
  reply.status = result.status;
  if (result.status == 0) {
    reply.message = "cannot reach the controller at " + url_.text + ": " + result.error;
    return reply;
  }
  reply.body = std::move(result.body);
  boost::system::error_code ec;
  reply.json = boost::json::parse(reply.body, ec);
  if (ec) reply.json = nullptr;
  if (reply.status < 200 || reply.status >= 300) {
    reply.message = failure_text(reply.status, reply.json, reply.body);
  } else if (ec) {
    reply.message = "the controller answered " + url_.text + target + " with invalid JSON";
  } else {
    reply.ok = true;
  }
  return reply;
}

bool resolve_token(const std::string& token_file, const char* env_token, std::string& token,
                   std::string& error) {
  if (token_file.empty()) {
    token = env_token == nullptr ? "" : trimmed(env_token);
    return true;
  }
  std::ifstream in(token_file);
  if (!in) {
    error = "--token-file " + token_file + ": cannot read: " + std::strerror(errno);
    return false;
  }
  std::string line;
  std::getline(in, line);
  token = trimmed(line);
  if (token.empty()) {
    error = "--token-file " + token_file + ": the file is empty";
    return false;
  }
  return true;
}

std::string query_string(std::initializer_list<std::pair<const char*, std::string>> pairs) {
  std::string query;
  for (const auto& [key, value] : pairs) {
    if (value.empty()) continue;
    query += query.empty() ? '?' : '&';
    query += key;
    query += '=';
    query += url_encode(value);
  }
  return query;
}

}  // namespace switchyard::controller::cli
