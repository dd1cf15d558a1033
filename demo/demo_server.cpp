#include "demo/demo_server.hpp"

#include "demo/demo_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/socket.h>

#include <chrono>
#include <thread>

namespace switchyard::demo {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, DemoState& state) {
  asio::steady_timer backoff(acceptor.get_executor());
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Typically EMFILE: pause instead of spinning on an error that persists.
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kNoThrow);
      continue;
    }
    state.accepts.fetch_add(1, std::memory_order_relaxed);
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(acceptor.get_executor(), serve_connection(std::move(socket), state),
                   asio::detached);
  }
}
}  // namespace

// Member order matters: the acceptor must be destroyed before its io_context.
struct DemoServer::Worker {
  asio::io_context context{1};  // one thread runs it: no internal locking needed
  tcp::acceptor acceptor{context};
  std::thread thread;
};

DemoServer::DemoServer(DemoServerOptions options, DemoState& state)
    : options_(std::move(options)), state_(state) {}

DemoServer::~DemoServer() { stop(); }

std::string DemoServer::bind_all() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return "--host: '" + options_.host + "' is not an IP address";
  std::uint16_t port = options_.port;
  for (unsigned i = 0; i < options_.threads; ++i) {
    auto worker = std::make_unique<Worker>();
    tcp::endpoint endpoint(address, port);
    auto& acceptor = worker->acceptor;
    // Asio's error_code overloads return void here (BOOST_ASIO_NO_DEPRECATED): check after each.
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.set_option(ReusePort(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    // Later acceptors join the port the first one got (matters for --port 0).
    if (!ec) port = acceptor.local_endpoint(ec).port();
    if (ec) return "cannot listen on " + options_.host + ":" + std::to_string(port) + ": " + ec.message();
    workers_.push_back(std::move(worker));
  }
  bound_port_ = port;
  return {};
}

std::string DemoServer::start() {
  if (std::string error = bind_all(); !error.empty()) {
    workers_.clear();
    return error;
  }
  for (auto& worker : workers_) {
    asio::co_spawn(worker->context, accept_loop(worker->acceptor, state_), asio::detached);
    worker->thread = std::thread([ctx = &worker->context] { ctx->run(); });
  }
  return {};
}

void DemoServer::stop() {
  for (auto& worker : workers_) worker->context.stop();
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

}  // namespace switchyard::demo
