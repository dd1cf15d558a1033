#pragma once
#include <string_view>

namespace switchyard {
// The project version, as `--version` prints it.
std::string_view version();
}  // namespace switchyard
