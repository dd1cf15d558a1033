#include "config/config_loading.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace switchyard::config::loading {

bool read_file(const std::string& path, std::string& text, std::string& reason) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    reason = std::strerror(errno);
    return false;
  }
  char buffer[8192];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  if (std::ferror(file.get())) {
    reason = std::strerror(errno);  // e.g. EISDIR: fopen() accepts a directory, fread() does not
    return false;
  }
  return true;
}

void resolve_against(const std::filesystem::path& dir, std::string& file) {
  if (file.empty() || dir.empty()) return;
  const std::filesystem::path path(file);
  if (path.is_relative()) file = (dir / path).lexically_normal().string();
}

}  // namespace switchyard::config::loading
