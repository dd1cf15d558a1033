#include "config/version_order.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace switchyard::config {
namespace {

std::vector<std::string_view> parts_of(std::string_view label) {
  if (auto plus = label.find('+'); plus != std::string_view::npos) label = label.substr(0, plus);
  if (!label.empty() && (label.front() == 'v' || label.front() == 'V')) label.remove_prefix(1);
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= label.size(); ++i) {
    if (i == label.size() || label[i] == '.' || label[i] == '-') {
      parts.push_back(label.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool all_digits(std::string_view part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int compare_parts(std::string_view a, std::string_view b) {
  const bool a_num = all_digits(a);
  const bool b_num = all_digits(b);
  if (a_num && b_num) {
    // Numerically without overflow: drop leading zeros, then the longer number is larger.
    a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
    b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  } else if (a_num != b_num) {
    return a_num ? -1 : 1;
  }
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  const auto left = parts_of(a);
  const auto right = parts_of(b);
  for (std::size_t i = 0; i < std::min(left.size(), right.size()); ++i) {
    if (int c = compare_parts(left[i], right[i]); c != 0) return c;
  }
  if (left.size() == right.size()) return 0;
  return left.size() < right.size() ? -1 : 1;
}

bool AppDependency::satisfied_by(std::string_view live) const {
  const int c = compare_versions(live, version);
  return op == "==" ? c == 0 : c >= 0;
}

std::optional<AppDependency> parse_dependency(std::string_view text, std::string& error) {
  std::size_t at = std::string_view::npos;
  std::string op;
  for (const char* candidate : {">=", "=="}) {
    if (auto found = text.find(candidate); found != std::string_view::npos) {
      at = found;
      op = candidate;
      break;
    }
  }
  if (at == std::string_view::npos) {
    error = "must read 'APP >= VERSION' or 'APP == VERSION', got '" + std::string(text) + "'";
    return std::nullopt;
  }
  AppDependency dependency{std::string(trim(text.substr(0, at))), op, std::string(trim(text.substr(at + 2)))};
  if (dependency.app.empty() || dependency.version.empty() ||
      dependency.version.find_first_of(" \t<>=") != std::string::npos) {
    error = "must read 'APP >= VERSION' or 'APP == VERSION', got '" + std::string(text) + "'";
    return std::nullopt;
  }
  return dependency;
}

}  // namespace switchyard::config
