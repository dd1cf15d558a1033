#include "controller/dashboard/assets.hpp"

namespace switchyard::controller::dashboard {

const Asset* find_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const auto& asset : assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

}  // namespace switchyard::controller::dashboard
