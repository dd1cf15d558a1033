#pragma once
#include "tests/support/child_process.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace switchyard::test {

// A running switchyard-demo-backend on 127.0.0.1 with an ephemeral port, for one test.
// Owned by the test thread; stops the process on destruction (see ChildProcess).
class DemoBackend {
 public:
  // Starts `switchyard-demo-backend --port 0 --name NAME EXTRA...` and waits (bounded) for its
  // listening line. On failure a GoogleTest failure is recorded and port() is 0.
  explicit DemoBackend(std::string name, std::vector<std::string> extra_args = {});

  bool ok() const { return port_ != 0; }
  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& name() const { return name_; }
  ChildProcess& process() { return *process_; }

 private:
  std::string name_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

}  // namespace switchyard::test
