// Circuit-breaker slots over the shared per-upstream counters.
#include "proxy/net/upstream_admission.hpp"

#include <gtest/gtest.h>

namespace switchyard::proxy::net {
namespace {

routing::Upstream upstream_with(std::uint32_t max_connections, std::uint32_t max_pending, std::uint32_t max_requests) {
  routing::Upstream upstream;
  upstream.name = "u";
  upstream.max_connections = max_connections;
  upstream.max_pending = max_pending;
  upstream.max_requests = max_requests;
  upstream.runtime = std::make_shared<routing::UpstreamRuntime>();
  return upstream;
}

TEST(UpstreamAdmission, ConnectionsAreCountedAndLimited) {
  auto upstream = upstream_with(2, 0, 0);
  auto a = ConnectionSlot::try_open(upstream);
  auto b = ConnectionSlot::try_open(upstream);
  auto c = ConnectionSlot::try_open(upstream);
  EXPECT_TRUE(a);
  EXPECT_TRUE(b);
  EXPECT_FALSE(c);
  EXPECT_EQ(upstream.runtime->connections.load(), 2u);
  { ConnectionSlot moved = std::move(a); }
  EXPECT_EQ(upstream.runtime->connections.load(), 1u);
  EXPECT_TRUE(ConnectionSlot::try_open(upstream));
}

TEST(UpstreamAdmission, UnlimitedStillCounts) {
  auto upstream = upstream_with(0, 0, 0);
  auto a = ConnectionSlot::try_open(upstream);
  EXPECT_TRUE(a);
  EXPECT_EQ(upstream.runtime->connections.load(), 1u);
  RequestSlot request(upstream);
  EXPECT_TRUE(request.admitted());
  EXPECT_EQ(upstream.runtime->requests.load(), 0u);  // not counted without max_requests
}

TEST(UpstreamAdmission, PendingAndRequestsAreBounded) {
  auto upstream = upstream_with(1, 1, 1);
  {
    PendingSlot first(upstream);
    PendingSlot second(upstream);
    EXPECT_TRUE(first.admitted());
    EXPECT_FALSE(second.admitted());
    EXPECT_EQ(upstream.runtime->pending.load(), 1u);
  }
  EXPECT_EQ(upstream.runtime->pending.load(), 0u);
  {
    RequestSlot first(upstream);
    RequestSlot second(upstream);
    EXPECT_TRUE(first.admitted());
    EXPECT_FALSE(second.admitted());
  }
  EXPECT_EQ(upstream.runtime->requests.load(), 0u);
  const auto no_queue = upstream_with(1, 0, 0);
  PendingSlot none(no_queue);
  EXPECT_FALSE(none.admitted());  // max_pending 0: no waiting at all
}

TEST(UpstreamAdmission, OverflowCountsByKind) {
  auto upstream = upstream_with(1, 0, 0);
  count_overflow(upstream, OverflowKind::max_connections);
  count_overflow(upstream, OverflowKind::max_pending);
  count_overflow(upstream, OverflowKind::max_pending);
  EXPECT_EQ(upstream.runtime->overflow_connections.load(), 1u);
  EXPECT_EQ(upstream.runtime->overflow_pending.load(), 2u);
  EXPECT_EQ(upstream.runtime->overflow_requests.load(), 0u);
}

}  // namespace
}  // namespace switchyard::proxy::net
