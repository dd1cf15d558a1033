#pragma once
// AdminServer: the admin API's HTTP/1.1 server (keep-alive, one coroutine per connection) on the
// control thread's io_context. Requests are read with explicit limits (header size and time,
// body size -> 413), routed through the handler table and answered with JSON.
// If the AdminConfig names a token file, every /v1 path needs "Authorization: Bearer <token>"
// (compared in constant time); /healthz stays open.
//
// Control-thread only: start() may be called before the io_context runs; stop() must run on the
// control thread (or after the io_context stopped). Lives as long as the ControlState it serves
// is valid; the connections' coroutines keep the server's internals alive until they end.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "config/proxy_config.hpp"

namespace boost::asio {
class io_context;
}

namespace switchyard::proxy::admin {

class ControlState;
struct AdminContext;

struct AdminServerLimits {
  std::size_t body_limit = 1024 * 1024;  // larger bodies get 413
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds header_timeout{15000};  // also the keep-alive idle time
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
};

class AdminServer {
 public:
  AdminServer(boost::asio::io_context& control_ioc, ControlState& state,
              const config::AdminConfig& cfg, AdminServerLimits limits = {});
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Reads the token file (if any) and binds; returns the bound "host:port" (port 0 -> the real
  // port). Throws std::runtime_error naming the address or file when it cannot: start-up only.
  std::string start();
  // Closes the acceptor and every open admin connection. Idempotent.
  void stop();
  // Long polls (GET /v1/events?wait_ms=) now waiting for an event. Control thread.
  std::size_t long_polls_waiting() const;
  // What the handlers reach; main sets its figure sources (connections_active) before start().
  AdminContext& context();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace switchyard::proxy::admin
