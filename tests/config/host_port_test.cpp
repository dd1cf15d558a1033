#include <gtest/gtest.h>

#include "config/load_proxy_config.hpp"

namespace switchyard::config {
namespace {

TEST(HostPortTest, ParsesIpv4) {
  HostPort out;
  EXPECT_EQ(parse_host_port("10.1.2.3:8080", out), "");
  EXPECT_EQ(out, (HostPort{"10.1.2.3", 8080}));
  EXPECT_EQ(out.to_string(), "10.1.2.3:8080");
}

TEST(HostPortTest, ParsesBracketedIpv6AndPrintsBracketsAgain) {
  HostPort out;
  EXPECT_EQ(parse_host_port("[::1]:9901", out), "");
  EXPECT_EQ(out, (HostPort{"::1", 9901}));
  EXPECT_EQ(out.to_string(), "[::1]:9901");
}

TEST(HostPortTest, MapsLocalhostToLoopbackAndAcceptsPortZeroAndMax) {
  HostPort out;
  EXPECT_EQ(parse_host_port("localhost:0", out), "");
  EXPECT_EQ(out, (HostPort{"127.0.0.1", 0}));
  EXPECT_EQ(parse_host_port("0.0.0.0:65535", out), "");
  EXPECT_EQ(out.port, 65535);
}

TEST(HostPortTest, RefusesBadAddresses) {
  HostPort out{"keep", 7};
  EXPECT_EQ(parse_host_port("", out), "must be host:port");
  EXPECT_EQ(parse_host_port("127.0.0.1", out), "must be host:port");
  EXPECT_EQ(parse_host_port(":80", out), "must be host:port");
  EXPECT_EQ(parse_host_port("127.0.0.1:", out), "port must be a number 0..65535");
  EXPECT_EQ(parse_host_port("127.0.0.1:65536", out), "port must be a number 0..65535");
  EXPECT_EQ(parse_host_port("127.0.0.1:+80", out), "port must be a number 0..65535");
  EXPECT_EQ(parse_host_port("example.com:80", out), "must be an IP literal, got 'example.com'");
  EXPECT_EQ(parse_host_port("1.2.3:80", out), "must be an IP literal, got '1.2.3'");
  EXPECT_EQ(parse_host_port("::1:80", out), "IPv6 address must be in brackets, e.g. [::1]:80");
  EXPECT_EQ(parse_host_port("[::1:80", out), "missing ']' after IPv6 address");
  EXPECT_EQ(parse_host_port("[::1]80", out), "must be host:port");
  EXPECT_EQ(parse_host_port("[10.0.0.1]:80", out), "invalid IPv6 address '10.0.0.1'");
  EXPECT_EQ(out, (HostPort{"keep", 7})) << "a failed parse must leave the output alone";
}

}  // namespace
}  // namespace switchyard::config
