#pragma once
// ProxyProcess: a real switchyard-proxy for one test, started from a YAML text on ephemeral
// ports (listener and admin at port 0); the ports are read from its start-up lines.
// Owned by the test thread; stopped (by PID, via ChildProcess) on destruction.

#include <cstdint>
#include <memory>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::test {

class ProxyProcess {
 public:
  // `yaml` must contain a listener at 127.0.0.1:0 and admin at 127.0.0.1:0. On failure a
  // GoogleTest failure is recorded and ok() is false.
  explicit ProxyProcess(const std::string& yaml);

  bool ok() const { return port_ != 0 && admin_port_ != 0; }
  std::uint16_t port() const { return port_; }
  std::uint16_t admin_port() const { return admin_port_; }
  ChildProcess& process() { return *process_; }
  const std::string& config_path() const { return config_path_; }

 private:
  TempDir dir_;
  std::string config_path_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
  std::uint16_t admin_port_ = 0;
};

}  // namespace switchyard::test
