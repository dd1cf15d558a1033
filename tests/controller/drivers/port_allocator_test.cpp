#include "controller/drivers/port_allocator.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace switchyard::controller::drivers {
namespace {

// A listening socket on 127.0.0.1, ephemeral port; closed on destruction.
struct Listener {
  int fd = -1;
  std::uint16_t port = 0;
  Listener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd, 1) == 0) {
      socklen_t len = sizeof addr;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
      port = ntohs(addr.sin_port);
    }
  }
  ~Listener() { ::close(fd); }
};

TEST(PortAllocator, SkipsPortsInUseByOthers) {
  Listener busy;
  ASSERT_NE(busy.port, 0);
  EXPECT_FALSE(port_is_free(busy.port));
  PortAllocator allocator(busy.port, busy.port);
  std::string error;
  EXPECT_FALSE(allocator.allocate(error));
  EXPECT_NE(error.find("1 in use by other programs"), std::string::npos) << error;
}

TEST(PortAllocator, NeverHandsOutAHeldPortTwiceAndReportsExhaustion) {
  Listener probe;  // find a port that is free once the probe closes
  const std::uint16_t base = probe.port;
  ::close(probe.fd);
  probe.fd = -1;
  PortAllocator allocator(base, base);
  std::string error;
  const auto first = allocator.allocate(error);
  ASSERT_TRUE(first) << error;
  EXPECT_EQ(*first, base);
  EXPECT_TRUE(allocator.holds(base));
  EXPECT_FALSE(allocator.allocate(error));
  EXPECT_NE(error.find("no free port in " + std::to_string(base) + "-" + std::to_string(base)),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("1 held by this driver"), std::string::npos) << error;
  allocator.release(base);
  EXPECT_EQ(allocator.allocate(error), base);
}

TEST(PortAllocator, ContinuesAfterTheLastPortHandedOut) {
  PortAllocator allocator(41000, 41063);
  std::string error;
  const auto a = allocator.allocate(error);
  ASSERT_TRUE(a) << error;
  allocator.release(*a);
  const auto b = allocator.allocate(error);
  ASSERT_TRUE(b) << error;
  EXPECT_NE(*a, *b) << "a just-released port is not reused at once";
}

TEST(PortAllocator, ReserveHoldsAdoptedPortsInRangeOnly) {
  PortAllocator allocator(41100, 41101);
  EXPECT_TRUE(allocator.reserve(41100));
  EXPECT_FALSE(allocator.reserve(41100));
  EXPECT_FALSE(allocator.reserve(41200));
  EXPECT_EQ(allocator.held_count(), 1u);
}

}  // namespace
}  // namespace switchyard::controller::drivers
