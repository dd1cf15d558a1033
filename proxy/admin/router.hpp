#pragma once
// Router: matches an admin request's method and path against the handler table. Patterns are
// literal segments and {param} segments ("/v1/routes/{route}/weights"); a {param} matches one
// non-empty segment, percent-decoded. Built once at start-up, then read-only on the control thread.

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "proxy/admin/admin_types.hpp"

namespace switchyard::proxy::admin {

struct AdminContext;
using Handler = AdminResponse (*)(AdminContext& context, const AdminRequest& request);

// One row of the handler table.
struct Endpoint {
  std::string_view method;
  std::string_view pattern;
  Handler handler;
};

struct RouteFound {
  Handler handler;
  std::vector<std::pair<std::string, std::string>> params;
};
struct MethodNotAllowed {
  std::string allow;  // "GET, PUT"
};
struct NoSuchEndpoint {};
using RouteResult = std::variant<RouteFound, MethodNotAllowed, NoSuchEndpoint>;

class Router {
 public:
  explicit Router(std::vector<Endpoint> table);
  RouteResult match(std::string_view method, std::string_view path) const;

 private:
  struct Entry {
    Endpoint endpoint;
    std::vector<std::string_view> segments;
  };
  std::vector<Entry> entries_;
};

// Routes the request and runs its handler; maps unknown
// paths to 404 and wrong methods to 405 with Allow. Never throws.
AdminResponse dispatch(const Router& router, AdminContext& context, AdminRequest request);

}  // namespace switchyard::proxy::admin
