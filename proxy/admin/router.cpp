#include "proxy/admin/router.hpp"

#include <exception>

#include <spdlog/spdlog.h>

namespace switchyard::proxy::admin {
namespace {

// "/v1/routes/shop" -> {"v1", "routes", "shop"}. Empty segments (a trailing '/') are kept so
// that "/v1/routes/" does not match "/v1/routes".
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

Router::Router(std::vector<Endpoint> table) {
  for (const auto& endpoint : table) entries_.push_back({endpoint, split_path(endpoint.pattern)});
}

RouteResult Router::match(std::string_view method, std::string_view path) const {
  const auto segments = split_path(path);
  std::string allow;
  for (const auto& entry : entries_) {
    if (entry.segments.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool matched = true;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      const auto pattern = entry.segments[i];
      if (is_param(pattern)) {
        matched = !segments[i].empty();
        params.emplace_back(pattern.substr(1, pattern.size() - 2), percent_decode(segments[i]));
      } else {
        matched = pattern == segments[i];
      }
    }
    if (!matched) continue;
    if (entry.endpoint.method == method) return RouteFound{entry.endpoint.handler, std::move(params)};
    if (allow.find(entry.endpoint.method) == std::string::npos) {
      if (!allow.empty()) allow += ", ";
      allow += entry.endpoint.method;
    }
  }
  if (!allow.empty()) return MethodNotAllowed{std::move(allow)};
  return NoSuchEndpoint{};
}

AdminResponse dispatch(const Router& router, AdminContext& context, AdminRequest request) {
  auto result = router.match(request.method, request.path);
  if (auto* refused = std::get_if<MethodNotAllowed>(&result)) {
    auto response = error_response(
        405, "method " + request.method + " not allowed on " + request.path);
    response.headers.emplace_back("Allow", refused->allow);
    return response;
  }
  if (std::holds_alternative<NoSuchEndpoint>(result)) {
    return error_response(404, "no such endpoint: " + request.method + " " + request.path);
  }
  auto& found = std::get<RouteFound>(result);
  request.params = std::move(found.params);
  try {
    return found.handler(context, request);
  } catch (const std::exception& e) {
    // Handlers report expected failures as values; reaching here is a bug, so say so loudly.
    spdlog::error("admin: {} {} failed: {}", request.method, request.path, e.what());
    return error_response(500, "internal error");
  }
}

}  // namespace switchyard::proxy::admin
