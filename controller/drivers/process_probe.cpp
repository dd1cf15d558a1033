#include "controller/drivers/process_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace switchyard::controller::drivers {
namespace {

using Clock = std::chrono::steady_clock;

std::string read_proc(pid_t pid, const char* name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + name, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fields of /proc/PID/stat after "(comm)": [0] is the state (field 3).
std::vector<std::string> stat_fields(pid_t pid) {
  const std::string stat = read_proc(pid, "stat");
  const auto close = stat.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  while (rest >> field) fields.push_back(field);
  return fields;
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on fd until the deadline; false on timeout or error.
bool wait_fd(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

bool connect_bounded(int fd, std::uint16_t port, Clock::time_point deadline, std::string& error) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return true;
  if (errno != EINPROGRESS) {
    error = std::string("connect: ") + std::strerror(errno);
    return false;
  }
  if (!wait_fd(fd, POLLOUT, deadline)) {
    error = "connect: timed out";
    return false;
  }
  int so_error = 0;
  socklen_t len = sizeof so_error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
  if (so_error != 0) {
    error = std::string("connect: ") + std::strerror(so_error);
    return false;
  }
  return true;
}

}  // namespace

std::uint64_t process_start_time(pid_t pid) {
  const auto fields = stat_fields(pid);
  if (fields.size() < 20) return 0;
  return std::strtoull(fields[19].c_str(), nullptr, 10);
}

std::vector<std::string> process_cmdline(pid_t pid) {
  const std::string raw = read_proc(pid, "cmdline");
  std::vector<std::string> args;
  std::size_t start = 0;
  while (start < raw.size()) {
    auto end = raw.find('\0', start);
    if (end == std::string::npos) end = raw.size();
    args.push_back(raw.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

bool process_running(pid_t pid) {
  if (pid <= 0) return false;
  const auto fields = stat_fields(pid);
  return !fields.empty() && fields[0] != "Z" && fields[0] != "X";
}

bool group_running(pid_t pgid) {
  if (pgid <= 0) return false;
  if (::kill(-pgid, 0) != 0 && errno == ESRCH) return false;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto fields = stat_fields(static_cast<pid_t>(std::stol(name)));
    // [0] state, [1] ppid, [2] pgrp
    if (fields.size() > 2 && std::stol(fields[2]) == pgid && fields[0] != "Z" && fields[0] != "X") {
      return true;
    }
  }
  return false;
}

ProbeResult probe_http(std::uint16_t port, const std::string& path,
                       std::chrono::milliseconds timeout) {
  ProbeResult result;
  const auto deadline = Clock::now() + timeout;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    result.error = std::string("socket: ") + std::strerror(errno);
    return result;
  }
  std::string reply;
  if (connect_bounded(fd, port, deadline, result.error)) {
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                                std::to_string(port) + "\r\nConnection: close\r\n\r\n";
    // A small request on a fresh loopback connection fits the socket buffer: one send suffices.
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      result.error = "send failed";
    }
    char buffer[512];
    while (result.error.empty() && reply.find("\r\n") == std::string::npos) {
      if (!wait_fd(fd, POLLIN, deadline)) {
        result.error = "no answer within " + std::to_string(timeout.count()) + " ms";
        break;
      }
      const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
      if (got <= 0) {
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        result.error = "connection closed before a status line";
        break;
      }
      reply.append(buffer, static_cast<std::size_t>(got));
    }
  }
  ::close(fd);
  if (!result.error.empty()) return result;
  // "HTTP/1.1 200 OK"
  const auto space = reply.find(' ');
  if (reply.rfind("HTTP/", 0) != 0 || space == std::string::npos) {
    result.error = "not an HTTP answer";
    return result;
  }
  result.status = std::atoi(reply.c_str() + space + 1);
  result.healthy = result.status == 200;
  if (!result.healthy) result.error = "answered " + std::to_string(result.status);
  return result;
}

}  // namespace switchyard::controller::drivers
