#include "proxy/net/accept_pause.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "proxy/net/listener_gate.hpp"
#include "proxy/net/worker.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;

namespace {
constexpr auto kPoll = std::chrono::milliseconds(5);
}

asio::awaitable<bool> wait_below_limit(Worker& worker, asio::ip::tcp::acceptor& acceptor, ListenerGate& gate,
                                       asio::steady_timer& timer) {
  gate.count_pause();
  boost::system::error_code ec;
  const auto local = acceptor.local_endpoint(ec);
  spdlog::warn("listener {}:{} at max_connections ({}): worker {} pauses accepting (pause #{})",
               local.address().to_string(), local.port(), gate.max_connections(), worker.index(), gate.pauses());
  while (gate.full()) {
    timer.expires_after(kPoll);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (worker.draining() || !acceptor.is_open()) co_return false;
  }
  co_return true;
}

}  // namespace switchyard::proxy::net
