#pragma once

#include <cstddef>
#include <string_view>

namespace switchyard {

// ASCII case-insensitive equality for HTTP tokens (field names, schemes, hosts).
// Boost 1.81's beast::iequals reads one byte past its arguments when they differ only in
// case (found by the request-head fuzzer under ASan), so every comparison goes through here.
constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace switchyard
