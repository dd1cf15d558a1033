#pragma once
// The `since` of analytics (API `?since=`, CLI `--since`): an RFC 3339 date or date-time, or a
// duration back from now ("7d", "24h", "30m", "45s"). One parser for both, so that the CLI
// refuses exactly what the controller would. Pure; any thread.

#include <cstdint>
#include <optional>
#include <string>

namespace switchyard::controller::analytics {

// Unix ms of `text` relative to `now_ms`; nullopt (with `error`) when it is neither form.
// Accepted: "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)", and N followed
// by d, h, m or s (N a positive integer up to 100 years' worth).
std::optional<std::int64_t> parse_since(const std::string& text, std::int64_t now_ms, std::string& error);

}  // namespace switchyard::controller::analytics
