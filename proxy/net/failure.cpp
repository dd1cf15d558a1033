#include "proxy/net/failure.hpp"

namespace switchyard::proxy::net {

unsigned failure_status(FailureKind kind) {
  switch (kind) {
    case FailureKind::connect:
    case FailureKind::reset: return 502;
    case FailureKind::timeout: return 504;
    case FailureKind::no_endpoint:
    case FailureKind::overflow: return 503;
    case FailureKind::no_route: return 404;
    case FailureKind::none:
    case FailureKind::client: return 0;
  }
  return 0;
}

const char* failure_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::none: return "none";
    case FailureKind::connect: return "connect";
    case FailureKind::timeout: return "timeout";
    case FailureKind::reset: return "reset";
    case FailureKind::no_endpoint: return "no_endpoint";
    case FailureKind::no_route: return "no_route";
    case FailureKind::client: return "client";
    case FailureKind::overflow: return "upstream_overflow";
  }
  return "unknown";
}

}  // namespace switchyard::proxy::net
