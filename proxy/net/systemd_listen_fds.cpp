#include "proxy/net/systemd_listen_fds.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace switchyard::proxy::net {
namespace {

constexpr int kFirstFd = 3;  // SD_LISTEN_FDS_START
constexpr long kMaxFds = 1024;

bool parse_number(const char* text, long& out) {
  if (text == nullptr || *text == '\0') return false;
  std::string_view view(text);
  auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), out);
  return ec == std::errc{} && end == view.data() + view.size();
}

void unset_variables() {
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
}

}  // namespace

bool take_systemd_listen_fds(std::vector<InheritedSocket>& out, std::string& error) {
  const char* pid_text = std::getenv("LISTEN_PID");
  const char* fds_text = std::getenv("LISTEN_FDS");
  if (pid_text == nullptr && fds_text == nullptr) return true;
  long pid = 0, count = 0;
  // Meant for another process (e.g. inherited by mistake through a wrapper): not ours to take.
  if (!parse_number(pid_text, pid) || pid != static_cast<long>(::getpid())) {
    if (pid_text != nullptr && !parse_number(pid_text, pid)) {
      error = "LISTEN_PID: not a process id";
      return false;
    }
    return true;
  }
  const std::string fds_copy = fds_text ? fds_text : "";  // unsetenv may invalidate fds_text
  unset_variables();
  if (!parse_number(fds_copy.c_str(), count) || count < 0 || count > kMaxFds) {
    error = "LISTEN_FDS: not a descriptor count";
    return false;
  }
  for (int fd = kFirstFd; fd < kFirstFd + count; ++fd) {
    InheritedSocket socket;
    if (!inspect_listening_socket(fd, socket, error)) {
      error = "LISTEN_FDS: " + error;
      return false;
    }
    out.push_back(socket);
  }
  return true;
}

}  // namespace switchyard::proxy::net
