#include "tests/support/proxy_process.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace switchyard::test {
namespace {
std::uint16_t port_of(const std::optional<std::string>& line) {
  if (!line) return 0;
  auto colon = line->rfind(':');
  return colon == std::string::npos ? 0 : static_cast<std::uint16_t>(std::stoi(line->substr(colon + 1)));
}
}  // namespace

ProxyProcess::ProxyProcess(const std::string& yaml) {
  config_path_ = dir_.write_file("proxy.yaml", yaml);
  process_ = std::make_unique<ChildProcess>(bin_path("switchyard-proxy"), std::vector<std::string>{"--config", config_path_});
  port_ = port_of(process_->wait_for_line(std::regex("^switchyard-proxy listening on .*:[0-9]+$")));
  admin_port_ = port_of(process_->wait_for_line(std::regex("^switchyard-proxy admin on .*:[0-9]+$")));
}

}  // namespace switchyard::test
