#pragma once
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/verb.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::demo {

// The demo backend's endpoints. Pure helpers: no I/O, callable from any thread.
enum class Route { healthz, faults, stats, env, config_file, secrets, echo, bytes, upload, other };

// Maps a request target (path plus optional query) to its endpoint; the query is ignored.
Route classify(std::string_view target);

// Whether `method` is allowed on `route`; `other` and `echo` accept every method.
bool method_allowed(Route route, boost::beast::http::verb method);

// Parsed `/bytes?n=N[&chunked=1]`.
struct BytesQuery {
  std::uint64_t n = 0;
  bool chunked = false;
};
inline constexpr std::uint64_t kMaxBytesQuery = std::uint64_t{1} << 40;  // 1 TiB

// Empty when n is missing, not a number or above kMaxBytesQuery.
std::optional<BytesQuery> parse_bytes_query(std::string_view target);

// The /echo answer: {"name","method","target","headers":{lower-case name: value},"body_bytes"}.
// Repeated headers are joined with ", ".
std::string echo_json(std::string_view name,
                      const boost::beast::http::request_header<>& request,
                      std::uint64_t body_bytes);

// /admin/env?name=X: {"name":"X","value":"..." or null} from this process's environment
// (tests read what configuration the controller handed to an instance).
std::string env_json(std::string_view target);
// /admin/config-file: {"path":..., "content": the file's text or null} (--config-file PATH).
std::string config_file_json(const std::string& path);

// {"error":"..."}
std::string error_json(std::string_view message);

}  // namespace switchyard::demo
