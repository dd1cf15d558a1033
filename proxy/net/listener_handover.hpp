#pragma once
// Listener hand-over between an old and a new switchyard-proxy (restart or upgrade without
// dropping connections). The running process serves a Unix domain socket (--handover-socket);
// a new process started with the same path connects to it and receives every listening socket
// of the old one (SCM_RIGHTS), so the kernel accept queues are shared and nothing queued is
// lost. Once its workers accept on them, the new process sends "release": the old one stops
// accepting, drains exactly as on SIGTERM and exits, and the new one serves the path.
//
// Wire format, old -> new: one message "switchyard-handover 1 N\n" carrying N descriptors;
// new -> old: the single byte 'R' (release). The addresses are read with getsockname().

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <functional>
#include <string>
#include <vector>

#include "proxy/net/inherited_socket.hpp"

namespace switchyard::proxy::net {

// The new process's side. Main thread, before the workers start.
class HandoverClient {
 public:
  HandoverClient() = default;
  ~HandoverClient();
  HandoverClient(const HandoverClient&) = delete;
  HandoverClient& operator=(const HandoverClient&) = delete;

  // Connects to `path` and receives the old process's listening sockets into `out`. True with
  // `out` untouched when no process serves the path (first start, or a stale socket file).
  // False with `error` set when a process answered but the exchange failed.
  bool receive(const std::string& path, std::vector<InheritedSocket>& out, std::string& error);
  bool connected() const { return fd_ >= 0; }
  // Tells the old process to stop accepting and drain. Call once the workers accept.
  void release();

 private:
  int fd_ = -1;
};

// The running process's side. Control thread: created, started and stopped there; the
// callback runs there too.
class HandoverServer {
 public:
  // `listening_fds`: every descriptor to hand over (they stay open here until the drain closes
  // them). `on_release` is called when a new process took them over and asked us to drain.
  HandoverServer(boost::asio::io_context& control, std::string path, std::vector<int> listening_fds,
                 std::function<void()> on_release);
  ~HandoverServer();

  // Binds the path (replacing a stale socket file). False with `error` set on failure.
  bool start(std::string& error);
  // Stops serving; removes the socket file unless a newer process already replaced it.
  void stop();

 private:
  void accept_next();
  void serve(boost::asio::local::stream_protocol::socket peer);

  std::string path_;
  std::vector<int> fds_;
  std::function<void()> on_release_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  unsigned long inode_ = 0;  // of the socket file we bound, to not unlink a successor's
  bool released_ = false;
};

}  // namespace switchyard::proxy::net
