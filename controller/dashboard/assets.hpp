#pragma once
// The dashboard's static files (controller/dashboard/static/), embedded in the controller binary
// at build time: cmake/embed_assets.cmake writes the table behind assets() from the files.
// Immutable data: any thread.

#include <span>
#include <string_view>

namespace switchyard::controller::dashboard {

struct Asset {
  std::string_view path;          // "/index.html", "/app.js", ...
  std::string_view content_type;  // with charset for text
  std::string_view bytes;
};

std::span<const Asset> assets();
// The asset at `path` ("/" is "/index.html"); nullptr when there is none.
const Asset* find_asset(std::string_view path);

}  // namespace switchyard::controller::dashboard
