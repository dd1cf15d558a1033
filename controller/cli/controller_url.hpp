#pragma once
// ControllerUrl: where the controller listens, from `--controller URL` (http://HOST[:PORT][/PREFIX];
// a bare HOST:PORT means http). A plain value, parsed once on the main thread.

#include <optional>
#include <string>

namespace switchyard::controller::cli {

struct ControllerUrl {
  std::string text;    // as given, for messages
  std::string host;    // without IPv6 brackets
  std::string port;    // "80" when not given
  std::string prefix;  // path prefix without the trailing '/', usually empty
};

// The parsed URL, or nullopt with `error` set to a one-line reason.
std::optional<ControllerUrl> parse_controller_url(const std::string& text, std::string& error);

// Percent-encodes `text` for a path segment or a query value (unreserved characters stay).
std::string url_encode(const std::string& text);

}  // namespace switchyard::controller::cli
