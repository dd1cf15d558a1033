#include "proxy/net/upstream_acquire.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/net/upstream_admission.hpp"
#include "proxy/net/worker.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// How often a pending request looks for a released connection or a free slot. Connections are
// released on other workers too, which cannot wake this one without a shared queue; a short
// poll keeps the hot path free of one and costs nothing when no request waits.
constexpr milliseconds kPendingPoll{2};

Failure upstream_failure(FailureKind kind) { return Failure{kind, FailureSource::upstream, false}; }

// Moves `slot` into the new connection only when the connect succeeds.
asio::awaitable<std::unique_ptr<UpstreamConnection>> connect_to(Worker& worker, const routing::Endpoint& endpoint,
                                                                ConnectionSlot& slot) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(endpoint.host, ec);
  if (ec) co_return nullptr;
  auto connection = std::make_unique<UpstreamConnection>(worker.io().get_executor());
  connection->endpoint_key = endpoint.key;
  connection->stream.expires_after(milliseconds(worker.timeouts().connect_ms));
  auto [cec] = co_await connection->stream.async_connect(tcp::endpoint{address, endpoint.port}, nothrow);
  if (cec) co_return nullptr;
  connection->stream.socket().set_option(tcp::no_delay(true), ec);
  connection->health = endpoint.health;
  connection->slot = std::move(slot);
  co_return connection;
}

std::unique_ptr<UpstreamConnection> take_pooled(Worker& worker, const routing::Upstream& upstream) {
  for (const auto& endpoint : upstream.endpoints) {
    if (!endpoint.usable()) continue;
    if (auto pooled = worker.upstream_pool().take(endpoint.key)) return pooled;
  }
  return nullptr;
}

// At max_connections: waits, bounded by connect_ms, as one of at most max_pending requests, for
// a connection this worker releases to its pool or for a slot another connection frees.
// Returns a pooled connection, or nothing with `slot` filled, or an overflow failure.
asio::awaitable<Acquired> wait_for_capacity(Worker& worker, const routing::Upstream& upstream, ConnectionSlot& slot) {
  PendingSlot pending(upstream);
  if (!pending.admitted()) {
    count_overflow(upstream, upstream.max_pending ? OverflowKind::max_pending : OverflowKind::max_connections);
    co_return Acquired{nullptr, upstream_failure(FailureKind::overflow)};
  }
  asio::steady_timer timer(worker.io());
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(worker.timeouts().connect_ms);
  while (std::chrono::steady_clock::now() < deadline && !worker.draining()) {
    timer.expires_after(kPendingPoll);
    co_await timer.async_wait(nothrow);
    if (auto pooled = take_pooled(worker, upstream)) co_return Acquired{std::move(pooled), {}};
    slot = ConnectionSlot::try_open(upstream);
    if (slot) co_return Acquired{};
  }
  count_overflow(upstream, OverflowKind::max_pending);
  co_return Acquired{nullptr, upstream_failure(FailureKind::overflow)};
}

}  // namespace

std::size_t rotation_start(Worker& worker, std::uint32_t upstream_index, const routing::Upstream& upstream) {
  const std::size_t count = upstream.endpoints.size();
  return count ? worker.next_endpoint(upstream_index) % count : 0;
}

std::unique_ptr<UpstreamConnection> take_pooled_first(Worker& worker, const routing::Upstream& upstream,
                                                      std::size_t start, PoolUse pool_use) {
  if (pool_use == PoolUse::none) return nullptr;
  const auto& endpoints = upstream.endpoints;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    const auto& endpoint = endpoints[(start + i) % endpoints.size()];
    if (endpoint.usable()) return worker.upstream_pool().take(endpoint.key, pool_use == PoolUse::probed);
  }
  return nullptr;
}

asio::awaitable<Acquired> acquire_connection(Worker& worker, const routing::Upstream& upstream, std::size_t start,
                                             PoolUse pool_use) {
  const auto& endpoints = upstream.endpoints;
  const std::size_t count = endpoints.size();
  ConnectionSlot slot;
  int attempts = 0;
  for (std::size_t i = 0; i < count && attempts < 2; ++i) {
    const auto& endpoint = endpoints[(start + i) % count];
    if (!endpoint.usable()) continue;
    if (pool_use != PoolUse::none) {
      if (auto pooled = worker.upstream_pool().take(endpoint.key, pool_use == PoolUse::probed))
        co_return Acquired{std::move(pooled), {}};
    }
    if (!slot) slot = ConnectionSlot::try_open(upstream);
    if (!slot) {
      auto waited = co_await wait_for_capacity(worker, upstream, slot);
      if (waited.connection || waited.failure) co_return waited;
    }
    ++attempts;
    if (auto fresh = co_await connect_to(worker, endpoint, slot)) co_return Acquired{std::move(fresh), {}};
    if (endpoint.health) endpoint.health->report_failure();
  }
  co_return Acquired{nullptr, upstream_failure(attempts ? FailureKind::connect : FailureKind::no_endpoint)};
}

}  // namespace switchyard::proxy::net
