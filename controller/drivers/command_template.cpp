#include "controller/drivers/command_template.hpp"

#include <array>

namespace switchyard::controller::drivers {
namespace {

constexpr std::array<const char*, 5> kPlaceholders = {"port", "version", "env", "instance",
                                                      "config_file"};

// Reads a quoted run starting after the opening quote at text[i - 1]; advances i past the
// closing quote. Returns false when the quote is not closed.
bool read_quoted(const std::string& text, std::size_t& i, char quote, std::string& token) {
  while (i < text.size()) {
    const char c = text[i++];
    if (c == quote) return true;
    if (quote == '"' && c == '\\' && i < text.size() && (text[i] == '"' || text[i] == '\\')) {
      token += text[i++];
      continue;
    }
    token += c;
  }
  return false;
}

std::string substitute(const std::string& token, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t i = 0;
  while (i < token.size()) {
    if (token[i] == '{') {
      const auto close = token.find('}', i + 1);
      if (close != std::string::npos) {
        const std::string name = token.substr(i + 1, close - i - 1);
        const auto found = values.find(name);
        if (is_known_placeholder(name) && found != values.end()) {
          out += found->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += token[i++];
  }
  return out;
}

}  // namespace

bool is_known_placeholder(const std::string& name) {
  for (const char* known : kPlaceholders) {
    if (name == known) return true;
  }
  return false;
}

bool CommandTemplate::parse(const std::string& text, CommandTemplate& out, std::string& error) {
  out = CommandTemplate{};
  out.text_ = text;
  std::string token;
  bool in_token = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i++];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_token) out.tokens_.push_back(std::move(token));
      token.clear();
      in_token = false;
    } else if (c == '\'' || c == '"') {
      in_token = true;
      const std::size_t start = i - 1;
      if (!read_quoted(text, i, c, token)) {
        error = "command: unterminated " + std::string(1, c) + " quote starting at offset " +
                std::to_string(start);
        return false;
      }
    } else if (c == '\\') {
      if (i >= text.size()) {
        error = "command: trailing backslash";
        return false;
      }
      token += text[i++];
      in_token = true;
    } else {
      token += c;
      in_token = true;
    }
  }
  if (in_token) out.tokens_.push_back(std::move(token));
  if (out.tokens_.empty() || out.tokens_.front().empty()) {
    error = "command: empty";
    return false;
  }
  return true;
}

std::vector<std::string> CommandTemplate::expand(
    const std::map<std::string, std::string>& values) const {
  std::vector<std::string> argv;
  argv.reserve(tokens_.size());
  for (const auto& token : tokens_) argv.push_back(substitute(token, values));
  return argv;
}

}  // namespace switchyard::controller::drivers
