#pragma once
#include "demo/demo_state.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace switchyard::demo {

struct DemoServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = ephemeral
  unsigned threads = 1;
};

// The demo backend's listeners and worker threads: one io_context and one SO_REUSEPORT acceptor
// per thread, so that the kernel spreads connections and workers share nothing but DemoState.
// Control-only: start/stop/port are called from the thread that owns the server (main).
class DemoServer {
 public:
  DemoServer(DemoServerOptions options, DemoState& state);
  ~DemoServer();
  DemoServer(const DemoServer&) = delete;
  DemoServer& operator=(const DemoServer&) = delete;

  // Binds every acceptor and starts the workers. Returns an error message, empty on success.
  std::string start();
  // The port actually bound (valid after a successful start).
  std::uint16_t port() const { return bound_port_; }
  // Stops the workers and joins them; idempotent.
  void stop();

 private:
  struct Worker;
  std::string bind_all();

  DemoServerOptions options_;
  DemoState& state_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::uint16_t bound_port_ = 0;
};

}  // namespace switchyard::demo
