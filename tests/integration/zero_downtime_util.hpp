#pragma once
// Shared helpers for the zero-downtime tests: reporting a load run, reading counters from the
// proxy's /metrics, counting a process's sockets, picking a free port.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>

#include "tests/support/http_client.hpp"
#include "tests/support/load_client.hpp"

namespace switchyard::test {

// Prints the figures of one operation (they are quoted in docs/operations.md) and asserts the
// zero-downtime promise: no error, no non-2xx, at least `floor` answers.
inline void expect_no_downtime(const std::string& operation, const LoadResult& result, std::uint64_t floor) {
  std::cout << "[zero-downtime] " << operation << ": " << result.summary() << std::endl;
  EXPECT_EQ(result.errors, 0u) << operation << ": " << result.summary();
  EXPECT_EQ(result.non_2xx(), 0u) << operation << ": " << result.summary();
  EXPECT_GE(result.requests, floor) << operation << ": " << result.summary();
}

// Sum of every switchyard_requests_total series of the proxy whose admin is on `admin_port`.
inline std::uint64_t requests_answered(std::uint16_t admin_port) {
  const auto response = http_request("127.0.0.1", admin_port, "GET", "/metrics");
  std::istringstream lines(response.body);
  std::uint64_t total = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("switchyard_requests_total{")) continue;
    total += static_cast<std::uint64_t>(std::stod(line.substr(line.rfind(' ') + 1)));
  }
  return total;
}

// Open sockets of process `pid` (listening ones included).
inline int socket_count(pid_t pid) {
  int count = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (!ec && target.string().starts_with("socket:")) ++count;
  }
  return count;
}

// A port that was free a moment ago (for configs that need a real port, not 0).
inline std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace switchyard::test
