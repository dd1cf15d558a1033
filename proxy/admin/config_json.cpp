// Canonical JSON writer for ProxyConfig. Written by hand rather than through Boost.JSON so that
// the exact bytes (key order, number format) are fixed here and cannot change with a library
// version: the hash of this text is compared across proxies.
//
// Key order:
//   {"listeners":[{"address","tls":{"cert","key"}|{"certificates":[{"cert","key"}]}|null,"max_connections"}],
//    "admin":{"address","token_file"},
//    "workers",
//    "timeouts":{"connect_ms","request_ms","idle_ms","drain_ms"},
//    "limits":{"max_header_bytes","max_headers","max_request_line_bytes","max_body_bytes","header_timeout_ms"},
//    "upstreams":[{"name","endpoints":["host:port"],
//                  "health_check":{"path","interval_ms","timeout_ms","healthy","unhealthy"}|null,
//                  "outlier_detection":{"enabled","consecutive_failures","base_ejection_ms","max_ejection_ms"},
//                  "max_connections","max_pending","max_requests"}],
//    "routes":[{"name","match":{"host","path_prefix"},"split":[{"version","upstream","weight"}],
//               "sticky":{"cookie":N}|{"header":N}|null,"override_header",
//               "guard":{"revert_to","window_ms","min_requests","max_error_rate","max_p99_ms"}|null}]}
#include "proxy/admin/config_json.hpp"

#include <array>
#include <charconv>
#include <cstdint>

#include <openssl/evp.h>

namespace switchyard::proxy::admin {
namespace {

// Appends JSON tokens to one string; the caller writes keys in the canonical order.
class Writer {
 public:
  std::string take() { return std::move(out_); }

  void open(char bracket) {
    comma();
    out_ += bracket;
    first_ = true;
  }
  void close(char bracket) {
    out_ += bracket;
    first_ = false;
  }
  void key(std::string_view name) {
    comma();
    string_token(name);
    out_ += ':';
    first_ = true;  // the value that follows needs no comma
  }
  void string(std::string_view value) {
    comma();
    string_token(value);
  }
  void number(std::uint64_t value) {
    comma();
    out_ += std::to_string(value);
  }
  void number(double value) {
    comma();
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out_.append(buffer.data(), result.ptr);
  }
  void null() {
    comma();
    out_ += "null";
  }
  void boolean(bool value) {
    comma();
    out_ += value ? "true" : "false";
  }

 private:
  void comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void string_token(std::string_view text) {
    out_ += '"';
    for (const char c : text) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            constexpr std::string_view kHex = "0123456789abcdef";
            out_ += "\\u00";
            out_ += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
            out_ += kHex[static_cast<unsigned char>(c) & 0xf];
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;
};

void write_listeners(Writer& w, const std::vector<config::ListenerConfig>& listeners) {
  w.key("listeners");
  w.open('[');
  for (const auto& listener : listeners) {
    w.open('{');
    w.key("address");
    w.string(listener.address.to_string());
    w.key("tls");
    if (listener.tls && !listener.tls->certificates.empty()) {
      w.open('{');
      w.key("certificates");
      w.open('[');
      for (const auto& certificate : listener.tls->certificates) {
        w.open('{');
        w.key("cert");
        w.string(certificate.cert);
        w.key("key");
        w.string(certificate.key);
        w.close('}');
      }
      w.close(']');
      w.close('}');
    } else if (listener.tls) {
      w.open('{');
      w.key("cert");
      w.string(listener.tls->cert);
      w.key("key");
      w.string(listener.tls->key);
      w.close('}');
    } else {
      w.null();
    }
    w.key("max_connections");
    w.number(std::uint64_t{listener.max_connections});
    w.close('}');
  }
  w.close(']');
}

void write_limits(Writer& w, const config::LimitsConfig& limits) {
  w.key("limits");
  w.open('{');
  w.key("max_header_bytes");
  w.number(std::uint64_t{limits.max_header_bytes});
  w.key("max_headers");
  w.number(std::uint64_t{limits.max_headers});
  w.key("max_request_line_bytes");
  w.number(std::uint64_t{limits.max_request_line_bytes});
  w.key("max_body_bytes");
  w.number(std::uint64_t{limits.max_body_bytes});
  w.key("header_timeout_ms");
  w.number(std::uint64_t{limits.header_timeout_ms});
  w.close('}');
}

void write_process_settings(Writer& w, const config::ProxyConfig& config) {
  w.key("admin");
  w.open('{');
  w.key("address");
  w.string(config.admin.address.to_string());
  w.key("token_file");
  w.string(config.admin.token_file);
  w.close('}');
  w.key("workers");
  w.number(std::uint64_t{config.workers});
  w.key("timeouts");
  w.open('{');
  w.key("connect_ms");
  w.number(std::uint64_t{config.timeouts.connect_ms});
  w.key("request_ms");
  w.number(std::uint64_t{config.timeouts.request_ms});
  w.key("idle_ms");
  w.number(std::uint64_t{config.timeouts.idle_ms});
  w.key("drain_ms");
  w.number(std::uint64_t{config.timeouts.drain_ms});
  w.close('}');
  write_limits(w, config.limits);
}

void write_health_check(Writer& w, const std::optional<config::HealthCheckConfig>& check) {
  w.key("health_check");
  if (!check) {
    w.null();
    return;
  }
  w.open('{');
  w.key("path");
  w.string(check->path);
  w.key("interval_ms");
  w.number(std::uint64_t{check->interval_ms});
  w.key("timeout_ms");
  w.number(std::uint64_t{check->timeout_ms});
  w.key("healthy");
  w.number(std::uint64_t{check->healthy});
  w.key("unhealthy");
  w.number(std::uint64_t{check->unhealthy});
  w.close('}');
}

void write_upstream_limits(Writer& w, const config::UpstreamConfig& upstream) {
  const auto& outlier = upstream.outlier_detection;
  w.key("outlier_detection");
  w.open('{');
  w.key("enabled");
  w.boolean(outlier.enabled);
  w.key("consecutive_failures");
  w.number(std::uint64_t{outlier.consecutive_failures});
  w.key("base_ejection_ms");
  w.number(std::uint64_t{outlier.base_ejection_ms});
  w.key("max_ejection_ms");
  w.number(std::uint64_t{outlier.max_ejection_ms});
  w.close('}');
  w.key("max_connections");
  w.number(std::uint64_t{upstream.max_connections});
  w.key("max_pending");
  w.number(std::uint64_t{upstream.max_pending});
  w.key("max_requests");
  w.number(std::uint64_t{upstream.max_requests});
}

void write_upstreams(Writer& w, const std::vector<config::UpstreamConfig>& upstreams) {
  w.key("upstreams");
  w.open('[');
  for (const auto& upstream : upstreams) {
    w.open('{');
    w.key("name");
    w.string(upstream.name);
    w.key("endpoints");
    w.open('[');
    for (const auto& endpoint : upstream.endpoints) w.string(endpoint.to_string());
    w.close(']');
    write_health_check(w, upstream.health_check);
    write_upstream_limits(w, upstream);
    w.close('}');
  }
  w.close(']');
}

void write_sticky(Writer& w, const config::StickyConfig& sticky) {
  w.key("sticky");
  if (sticky.kind == config::StickyConfig::Kind::none) {
    w.null();
    return;
  }
  w.open('{');
  w.key(sticky.kind == config::StickyConfig::Kind::cookie ? "cookie" : "header");
  w.string(sticky.name);
  w.close('}');
}

void write_guard(Writer& w, const std::optional<config::GuardConfig>& guard) {
  w.key("guard");
  if (!guard) {
    w.null();
    return;
  }
  w.open('{');
  w.key("revert_to");
  w.string(guard->revert_to);
  w.key("window_ms");
  w.number(std::uint64_t{guard->window_ms});
  w.key("min_requests");
  w.number(std::uint64_t{guard->min_requests});
  w.key("max_error_rate");
  w.number(guard->max_error_rate);
  w.key("max_p99_ms");
  w.number(std::uint64_t{guard->max_p99_ms});
  w.close('}');
}

void write_route(Writer& w, const config::RouteConfig& route) {
  w.open('{');
  w.key("name");
  w.string(route.name);
  w.key("match");
  w.open('{');
  w.key("host");
  w.string(route.match.host);
  w.key("path_prefix");
  w.string(route.match.path_prefix);
  w.close('}');
  w.key("split");
  w.open('[');
  for (const auto& entry : route.split) {
    w.open('{');
    w.key("version");
    w.string(entry.version);
    w.key("upstream");
    w.string(entry.upstream);
    w.key("weight");
    w.number(std::uint64_t{entry.weight});
    w.close('}');
  }
  w.close(']');
  write_sticky(w, route.sticky);
  w.key("override_header");
  w.string(route.override_header);
  write_guard(w, route.guard);
  w.close('}');
}

}  // namespace

std::string canonical_config_json(const config::ProxyConfig& config) {
  Writer w;
  w.open('{');
  write_listeners(w, config.listeners);
  write_process_settings(w, config);
  write_upstreams(w, config.upstreams);
  w.key("routes");
  w.open('[');
  for (const auto& route : config.routes) write_route(w, route);
  w.close(']');
  w.close('}');
  return w.take();
}

std::string sha256_hex(const std::string& text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    // Only an OpenSSL set-up failure gets here; an empty hash is visibly wrong, never a match.
    return {};
  }
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::string config_hash(const config::ProxyConfig& config) {
  return sha256_hex(canonical_config_json(config));
}

}  // namespace switchyard::proxy::admin
