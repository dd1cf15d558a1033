#include "proxy/routing/route_table_publisher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace switchyard::proxy::routing {
namespace {

std::shared_ptr<const RouteTable> table_with_generation(std::uint64_t generation) {
  config::ProxyConfig config;
  config.upstreams.push_back({"blue", {{"127.0.0.1", 9001}}, std::nullopt});
  config::RouteConfig route;
  route.name = "shop";
  route.split = {{"stable", "blue", 1}};
  config.routes.push_back(route);
  return RouteTable::build(config, nullptr, generation);
}

TEST(RouteTablePublisher, CacheSeesEachNewGeneration) {
  RouteTablePublisher publisher(table_with_generation(1));
  RouteTableCache cache(publisher);
  EXPECT_EQ(cache.get()->generation(), 1u);
  const auto before = publisher.generation();
  publisher.publish(table_with_generation(2));
  EXPECT_EQ(publisher.generation(), before + 1);
  EXPECT_EQ(cache.get()->generation(), 2u);
  EXPECT_EQ(cache.get()->generation(), 2u);  // cached: same table again
  EXPECT_EQ(cache.get().get(), publisher.current().get());
}

TEST(RouteTablePublisher, ReaderHoldingOldSnapshotKeepsItValid) {
  RouteTablePublisher publisher(table_with_generation(1));
  RouteTableCache cache(publisher);
  const std::shared_ptr<const RouteTable> held = cache.get();  // a request in flight
  const std::weak_ptr<const RouteTable> watch = held;
  publisher.publish(table_with_generation(2));
  EXPECT_EQ(cache.get()->generation(), 2u);  // the cache dropped its reference
  ASSERT_FALSE(watch.expired());
  EXPECT_EQ(held->generation(), 1u);
  EXPECT_EQ(held->routes().at(0).name, "shop");
}

TEST(RouteTablePublisher, OldSnapshotIsFreedWhenLastReaderLetsGo) {
  RouteTablePublisher publisher(table_with_generation(1));
  std::weak_ptr<const RouteTable> watch;
  {
    RouteTableCache cache(publisher);
    auto held = cache.get();
    watch = held;
    publisher.publish(table_with_generation(2));
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}

// Two workers read while the control thread publishes; run under TSan/ASan this checks the
// publication protocol. Readers must only ever see generations going forward.
TEST(RouteTablePublisher, ConcurrentReadersAndPublisher) {
  constexpr std::uint64_t kPublishes = 2000;
  RouteTablePublisher publisher(table_with_generation(0));
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  auto reader = [&] {
    RouteTableCache cache(publisher);
    std::uint64_t last = 0;
    for (std::uint64_t reads = 0; !done.load(std::memory_order_acquire) || reads < 1000; ++reads) {
      const auto table = cache.get();
      const std::uint64_t generation = table->generation();
      if (generation < last || table->routes().size() != 1) failures.fetch_add(1);
      last = generation;
    }
    if (cache.get()->generation() != kPublishes) failures.fetch_add(1);
  };
  std::vector<std::thread> readers;
  readers.emplace_back(reader);
  readers.emplace_back(reader);
  for (std::uint64_t g = 1; g <= kPublishes; ++g) publisher.publish(table_with_generation(g));
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace switchyard::proxy::routing
