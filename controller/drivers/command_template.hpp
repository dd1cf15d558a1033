#pragma once
// CommandTemplate: the driver's `command:` turned into an argv, without a shell (SPEC §6).
//
// Splitting rules (applied once, to the template text, BEFORE placeholders are substituted, so a
// substituted value never splits into more arguments nor gets re-quoted):
//   - arguments are separated by unquoted spaces or tabs;
//   - '...' keeps everything inside literally (no escapes);
//   - "..." keeps everything inside literally except \" and \\ ;
//   - outside quotes, a backslash makes the next character literal;
//   - quotes may join an argument: a'b c'd is the one argument "ab cd".
// An unterminated quote, a trailing backslash or an empty command is an error.
//
// Placeholders {port} {version} {env} {instance} {config_file} are replaced inside every argument;
// any other text in braces (e.g. a shell's ${FOO} when the template starts with `/bin/sh -c`) is
// kept as is. A shell is used only when the template names one explicitly.
// Pure value type; any thread.

#include <map>
#include <string>
#include <vector>

namespace switchyard::controller::drivers {

class CommandTemplate {
 public:
  // Splits `text`; on failure returns false and sets `error` (message names the position).
  static bool parse(const std::string& text, CommandTemplate& out, std::string& error);

  // The argv with each known placeholder replaced by `values` (keys without braces: "port"...).
  std::vector<std::string> expand(const std::map<std::string, std::string>& values) const;

  const std::vector<std::string>& tokens() const { return tokens_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<std::string> tokens_;
};

// The placeholder names the template understands.
bool is_known_placeholder(const std::string& name);

}  // namespace switchyard::controller::drivers
