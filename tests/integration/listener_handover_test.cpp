// Restart without dropping connections: listener hand-over between two switchyard-proxy
// processes under load (--handover-socket), and listening sockets from systemd (LISTEN_FDS).

#include <gtest/gtest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "tests/integration/proxy_test_util.hpp"
#include "tests/integration/zero_downtime_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

std::string config_on_port(const DemoBackend& blue, const DemoBackend& green, std::uint16_t port, int workers) {
  std::string text = two_version_config(blue, green, 50, 50, "", "workers: " + std::to_string(workers) + "\n");
  const std::string any = "127.0.0.1:0\nadmin";
  return text.replace(text.find(any), any.size(), "127.0.0.1:" + std::to_string(port) + "\nadmin");
}

std::uint16_t port_in(const std::optional<std::string>& line) {
  return line ? static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1))) : 0;
}

const std::regex kListening("^switchyard-proxy listening on .*:[0-9]+$");
const std::regex kAdmin("^switchyard-proxy admin on .*:[0-9]+$");

TEST(ListenerHandover, NewProcessTakesOverUnderLoadWithoutErrors) {
  DemoBackend blue("blue"), green("green");
  TempDir dir;
  const std::uint16_t port = free_port();
  // Different worker counts: every socket of the old process must find a worker in the new one.
  const auto old_config = dir.write_file("old.yaml", config_on_port(blue, green, port, 2));
  const auto new_config = dir.write_file("new.yaml", config_on_port(blue, green, port, 3));
  const std::string handover = dir.path() + "/handover.sock";
  const auto proxy = bin_path("switchyard-proxy");

  ChildProcess old_proxy(proxy, {"--config", old_config, "--handover-socket", handover});
  ASSERT_TRUE(old_proxy.wait_for_line(kListening));
  const auto old_admin = port_in(old_proxy.wait_for_line(kAdmin));
  ASSERT_NE(old_admin, 0);

  LoadOptions options;
  options.port = port;
  options.connections = 16;
  LoadClient load(options);
  load.start();
  ASSERT_TRUE(load.wait_for_requests(500));
  const auto answered_by_old = requests_answered(old_admin);

  ChildProcess new_proxy(proxy, {"--config", new_config, "--handover-socket", handover});
  ASSERT_TRUE(new_proxy.wait_for_line(kListening));
  const auto new_admin = port_in(new_proxy.wait_for_line(kAdmin));
  ASSERT_NE(new_admin, 0);
  EXPECT_EQ(old_proxy.wait_exit(10s), 0) << old_proxy.output();
  EXPECT_TRUE(new_proxy.wait_for_line(std::regex("accepting on 2 inherited sockets")));
  ASSERT_TRUE(load.wait_for_requests(500));
  const auto answered_by_new = requests_answered(new_admin);
  const auto result = load.stop();

  expect_no_downtime("listener hand-over to a new process", result, 1000);
  EXPECT_GT(answered_by_old, 0u);
  EXPECT_GT(answered_by_new, 0u);
  std::cout << "[zero-downtime] hand-over: old process answered >= " << answered_by_old
            << ", new process answered >= " << answered_by_new << std::endl;
  EXPECT_NE(old_proxy.output().find("handed over: draining"), std::string::npos) << old_proxy.output();

  // The new process serves the path in turn: a third one takes over from it.
  ChildProcess third(proxy, {"--config", old_config, "--handover-socket", handover});
  ASSERT_TRUE(third.wait_for_line(kListening));
  EXPECT_EQ(new_proxy.wait_exit(10s), 0) << new_proxy.output();
  HttpClient client("127.0.0.1", port);
  EXPECT_EQ(client.request("GET", "/").status, 200);
}

TEST(ListenerHandover, SystemdSocketActivationServesTheQueuedConnection) {
  DemoBackend blue("blue"), green("green");
  TempDir dir;
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 64), 0);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const std::uint16_t port = ntohs(address.sin_port);
  // Above 3 so that the child's dup2 onto 3 clears close-on-exec.
  const int passed = ::fcntl(listener, F_DUPFD_CLOEXEC, 100);
  ::close(listener);
  ASSERT_GE(passed, 100);

  // A client connects and sends its request before the proxy even runs: the kernel queues it.
  int early = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{10, 0};  // bounds the read below
  ::setsockopt(early, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ASSERT_EQ(::connect(early, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::write(early, request.data(), request.size()), static_cast<ssize_t>(request.size()));

  const auto config = dir.write_file("proxy.yaml", config_on_port(blue, green, port, 2));
  // LISTEN_PID must be the proxy's pid: the shell sets it to its own and execs the proxy.
  ChildProcess proxy("/bin/sh",
                     {"-c", "LISTEN_PID=$$ exec \"$0\" \"$@\"", bin_path("switchyard-proxy"), "--config", config},
                     {"LISTEN_FDS=1"}, {passed});
  ::close(passed);
  ASSERT_TRUE(proxy.wait_for_line(kListening));
  EXPECT_TRUE(proxy.wait_for_line(std::regex("accepting on 1 inherited sockets")));

  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::read(early, buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
  ::close(early);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;

  HttpClient client("127.0.0.1", port);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(client.request("GET", "/").status, 200);
  proxy.signal(SIGTERM);
  EXPECT_EQ(proxy.wait_exit(), 0);
}

}  // namespace
}  // namespace switchyard::test
