#include "common/version.hpp"

namespace switchyard {
std::string_view version() { return SWITCHYARD_VERSION; }
}  // namespace switchyard
