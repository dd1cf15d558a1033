#include "proxy/net/worker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "proxy/net/accept_pause.hpp"
#include "proxy/net/client_connection.hpp"
#include "proxy/net/tls_context_store.hpp"
#include "proxy/net/listener_gate.hpp"
#include "proxy/stats/stats_registry.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Worker::Timer {
  explicit Timer(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
};

namespace {

// How soon a worker notices begin_drain() or stop(): a drain starts at most this late.
constexpr std::chrono::milliseconds kRequestPoll{5};

std::uint64_t worker_seed(unsigned index) {
  auto now = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return now ^ (0x9E3779B97F4A7C15ULL * (index + 1));
}

asio::awaitable<void> accept_loop(Worker& worker, tcp::acceptor& acceptor, std::size_t listener,
                                  ListenerGate* gate) {
  asio::steady_timer backoff(worker.io());
  for (;;) {
    if (gate && gate->full() && !co_await wait_below_limit(worker, acceptor, *gate, backoff)) co_return;
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (!ec) {
      // Accepted before the acceptor closed (drain, hand-over): the kernel already took it off
      // the queue, so it is served, not dropped.
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      // The listener's TLS contexts in force now: a reload later does not touch this connection.
      auto tls = worker.tls() ? worker.tls()->for_listener(listener) : nullptr;
      if (gate) gate->opened();
      asio::co_spawn(worker.io(), serve_client(worker, std::move(socket), std::move(tls), gate),
                     asio::detached);
    }
    if (ec == asio::error::operation_aborted || !acceptor.is_open() || worker.draining()) co_return;
    if (ec) {
      // Out of descriptors or a transient error: back off briefly instead of spinning.
      backoff.expires_after(std::chrono::milliseconds(10));
      co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
}

}  // namespace

Worker::Worker(unsigned index, WorkerSettings settings, const routing::RouteTablePublisher& publisher)
    : index_(index),
      settings_(settings),
      // One thread runs this io_context and does everything with it; other threads only set
      // flags that it polls (begin_drain, stop). So neither the scheduler nor the reactor locks.
      io_(std::make_unique<asio::io_context>(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE)),
      routes_(publisher),
      random_(worker_seed(index)),
      pool_(settings.max_idle_upstream_per_endpoint),
      expiry_timer_(std::make_unique<Timer>(*io_)),
      control_timer_(std::make_unique<Timer>(*io_)),
      stats_(settings.stats ? &settings.stats->worker(index) : nullptr) {}

Worker::~Worker() {
  // Sockets and timers first, then the io_context, whose destruction destroys the frames of
  // suspended sessions; those still detach from connections_ and return leased buffers.
  acceptors_.clear();
  expiry_timer_.reset();
  control_timer_.reset();
  pool_.clear();
  io_.reset();
}

void Worker::add_acceptor(tcp::acceptor acceptor, std::size_t listener, ListenerGate* gate) {
  acceptors_.push_back(std::move(acceptor));
  acceptor_listeners_.push_back(listener);
  gates_.push_back(gate);
}

void Worker::run() {
  start_accepting();
  schedule_pool_expiry();
  poll_requests();
  io_->run();
}

void Worker::poll_requests() {
  if (stop_requested_.load(std::memory_order_acquire)) {
    io_->stop();
    return;
  }
  if (!draining_ && drain_requested_.load(std::memory_order_acquire)) drain_now();
  control_timer_->timer.expires_after(kRequestPoll);
  control_timer_->timer.async_wait([this](boost::system::error_code ec) {
    if (!ec) poll_requests();
  });
}

void Worker::start_accepting() {
  for (std::size_t i = 0; i < acceptors_.size(); ++i)
    asio::co_spawn(*io_, accept_loop(*this, acceptors_[i], acceptor_listeners_[i], gates_[i]), asio::detached);
}

void Worker::schedule_pool_expiry() {
  expiry_timer_->timer.expires_after(std::chrono::seconds(1));
  expiry_timer_->timer.async_wait([this](boost::system::error_code ec) {
    if (ec || draining_) return;
    pool_.expire(std::chrono::milliseconds(settings_.timeouts.idle_ms));
    pool_purge_.run(pool_, *routes_.get());
    schedule_pool_expiry();
  });
}

void Worker::begin_drain() { drain_requested_.store(true, std::memory_order_release); }

void Worker::stop() { stop_requested_.store(true, std::memory_order_release); }

void Worker::drain_now() {
  draining_ = true;
  boost::system::error_code ignored;
  for (auto& acceptor : acceptors_) acceptor.close(ignored);
  expiry_timer_->timer.cancel();
  pool_.clear();
  // close_if_idle may detach the connection: iterate over a copy.
  std::vector<ClientConnection*> current(connections_.begin(), connections_.end());
  for (auto* connection : current) close_if_idle(*connection);
}

std::uint32_t Worker::next_endpoint(std::uint32_t upstream_index) {
  if (upstream_index >= round_robin_.size()) round_robin_.resize(upstream_index + 1, index_);
  return round_robin_[upstream_index]++;
}

void Worker::attach(ClientConnection* connection) {
  connections_.insert(connection);
  active_.fetch_add(1, std::memory_order_relaxed);
}

void Worker::detach(ClientConnection* connection) {
  connections_.erase(connection);
  active_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace switchyard::proxy::net
