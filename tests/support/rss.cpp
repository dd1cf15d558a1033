#include "tests/support/rss.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace switchyard::test {

std::optional<long> proc_status_number(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    long kib = 0;
    if (fields >> kib) return kib;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<long> peak_rss_kib(pid_t pid) { return proc_status_number(pid, "VmHWM"); }
std::optional<long> current_rss_kib(pid_t pid) { return proc_status_number(pid, "VmRSS"); }

}  // namespace switchyard::test
