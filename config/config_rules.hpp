#pragma once
// The semantic rules of the proxy configuration (SPEC §2), written once and applied both by the
// YAML loader and by validate_proxy_config() for run-time changes. Pure functions, any thread.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "config/proxy_config.hpp"

namespace switchyard::config::rules {

// A problem at one key path, e.g. {"routes[0].split", "weights sum to 0"}.
struct FieldError {
  std::string path;
  std::string message;
};

// An inclusive integer range; the loader checks numbers against it while reading and the
// semantic pass checks the in-memory value against the same constant.
struct Range {
  std::int64_t min = 0;
  std::int64_t max = std::numeric_limits<std::uint32_t>::max();
};

inline constexpr std::uint32_t kMaxWeight = 1'000'000;
inline constexpr Range kAnyU32{0, std::numeric_limits<std::uint32_t>::max()};
inline constexpr Range kPositiveU32{1, std::numeric_limits<std::uint32_t>::max()};
inline constexpr Range kWorkers{0, 256};
inline constexpr Range kWeight{0, kMaxWeight};
// A head must hold at least a request line and a Host line; the upper bounds keep a typo
// (an extra zero or three) from turning a limit into no limit.
inline constexpr Range kMaxHeaderBytes{256, 16 * 1024 * 1024};
inline constexpr Range kMaxHeaders{1, 10000};
inline constexpr Range kMaxRequestLineBytes{16, 1024 * 1024};
inline constexpr Range kGuardWindowMs{100, std::numeric_limits<std::uint32_t>::max()};

// "" when `value` lies in `range`, else "must be >= N" / "must be > 0" / "must be <= N".
std::string check_range(std::int64_t value, Range range);

// Names of upstreams, routes and versions: non-empty, [A-Za-z0-9._-]. "" when valid.
std::string check_name(std::string_view name);

// RFC 9110 token (header field names; RFC 6265 cookie names use the same set).
bool is_token(std::string_view text);

// 127.0.0.0/8 and ::1 (also IPv4-mapped): an address reachable from this host only.
bool is_loopback(const std::string& host);

// The pieces every rule is written with: an error at a key path, a range check at a key path,
// and the path of one element of a list ("routes" + 2 -> "routes[2]").
std::optional<FieldError> error_at(std::string path, std::string message);
std::optional<FieldError> in_range(const std::string& path, std::int64_t value, Range range);
std::string at(const std::string& path, std::size_t index);

// Every semantic rule over a whole configuration; the first problem found, or nothing.
std::optional<FieldError> check_proxy_config(const ProxyConfig& config);

}  // namespace switchyard::config::rules
