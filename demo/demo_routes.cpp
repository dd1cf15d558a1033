#include "demo/demo_routes.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <charconv>

namespace switchyard::demo {

namespace http = boost::beast::http;
namespace json = boost::json;

Route classify(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/healthz") return Route::healthz;
  if (path == "/admin/faults") return Route::faults;
  if (path == "/admin/stats") return Route::stats;
  if (path == "/admin/env") return Route::env;
  if (path == "/admin/config-file") return Route::config_file;
  if (path == "/admin/secrets") return Route::secrets;
  if (path == "/echo") return Route::echo;
  if (path == "/bytes") return Route::bytes;
  if (path == "/upload") return Route::upload;
  return Route::other;
}

bool method_allowed(Route route, http::verb method) {
  bool read = method == http::verb::get || method == http::verb::head;
  switch (route) {
    case Route::healthz:
    case Route::stats:
    case Route::env:
    case Route::config_file:
    case Route::secrets:
    case Route::bytes:
      return read;
    case Route::faults:
      return read || method == http::verb::put;
    case Route::upload:
      return method == http::verb::post || method == http::verb::put;
    case Route::echo:
    case Route::other:
      return true;
  }
  return false;
}

std::optional<BytesQuery> parse_bytes_query(std::string_view target) {
  auto question = target.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(question + 1);
  BytesQuery result;
  bool have_n = false;
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    auto eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (key == "n") {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result.n);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty()) return std::nullopt;
      have_n = true;
    } else if (key == "chunked") {
      result.chunked = value == "1" || value == "true";
    }
  }
  if (!have_n || result.n > kMaxBytesQuery) return std::nullopt;
  return result;
}

std::string echo_json(std::string_view name, const http::request_header<>& request,
                      std::uint64_t body_bytes) {
  json::object headers;
  for (const auto& field : request) {
    std::string key(field.name_string());
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto it = headers.find(key); it != headers.end()) {
      it->value().as_string().append(", ").append(field.value());
    } else {
      headers[key] = field.value();
    }
  }
  json::object obj;
  obj["name"] = name;
  obj["method"] = request.method_string();
  obj["target"] = request.target();
  obj["headers"] = std::move(headers);
  obj["body_bytes"] = body_bytes;
  return json::serialize(obj);
}

std::string error_json(std::string_view message) {
  json::object obj;
  obj["error"] = message;
  return json::serialize(obj);
}

}  // namespace switchyard::demo
