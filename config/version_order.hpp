#pragma once
// Ordering of version labels, for `depends_on: ["payments >= 2.1"]` (docs/configuration-controller.md):
// an optional leading 'v' is dropped, the rest is split on '.' and '-'; parts are compared left
// to right, numerically when both are digits, otherwise lexically (a numeric part sorts before a
// text part); when one label runs out first, the shorter one is lower ("2.1" < "2.1.0").
// A `+...` suffix (build metadata, e.g. a config-only label "2.1.0+cfg.1a2b3c4d") is ignored.
// Pure functions; any thread.

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::config {

// <0, 0 or >0 like strcmp.
int compare_versions(std::string_view a, std::string_view b);

// One parsed `depends_on` entry: "APP >= VERSION" or "APP == VERSION".
struct AppDependency {
  std::string app;
  std::string op;       // ">=" or "=="
  std::string version;
  std::string text() const { return app + " " + op + " " + version; }
  bool satisfied_by(std::string_view live) const;
  friend bool operator==(const AppDependency&, const AppDependency&) = default;
};

// nullopt and `error` set when `text` is not "APP OP VERSION" (spaces around OP optional).
std::optional<AppDependency> parse_dependency(std::string_view text, std::string& error);

}  // namespace switchyard::config
