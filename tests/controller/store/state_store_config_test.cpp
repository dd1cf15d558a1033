// Promotion records and instance configurations: stored, read back, and kept across a reopen.
#include <gtest/gtest.h>

#include "tests/controller/store/store_test_util.hpp"

namespace switchyard::controller::store {
namespace {

using test::new_rollout;
using test::open_ok;

TEST(StateStoreConfig, PromotedFromAndLastSucceededVersion) {
  switchyard::test::TempDir dir;
  StateStore store;
  open_ok(store, dir.path() + "/state.db");
  auto none = store.last_succeeded_version("shop", "staging");
  ASSERT_TRUE(none.ok()) << none.error();
  EXPECT_FALSE(none.value().has_value());

  auto first = store.create_rollout(new_rollout("shop", "staging", "v2", 1000));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(store.finish_rollout(first.value(), kResultSucceeded, "", 2000).ok());
  auto failed = store.create_rollout(new_rollout("shop", "staging", "v3", 3000));
  ASSERT_TRUE(failed.ok());
  ASSERT_TRUE(store.finish_rollout(failed.value(), kResultFailed, "", 4000).ok());
  EXPECT_EQ(store.last_succeeded_version("shop", "staging").value(), std::optional<std::string>("v2"));
  EXPECT_FALSE(store.last_succeeded_version("shop", "production").value().has_value());

  auto promoted = store.create_rollout(new_rollout("shop", "production", "v2", 5000));
  ASSERT_TRUE(promoted.ok());
  EXPECT_FALSE(store.promoted_from(promoted.value()).value().has_value());
  ASSERT_TRUE(store.set_promoted_from(promoted.value(), "staging").ok());
  EXPECT_EQ(store.promoted_from(promoted.value()).value(), std::optional<std::string>("staging"));
}

TEST(StateStoreConfig, InstanceConfigsAreKeptOncePerHash) {
  switchyard::test::TempDir dir;
  const auto path = dir.path() + "/state.db";
  {
    StateStore store;
    open_ok(store, path);
    InstanceConfigRow row{"h1", "shop", "staging", R"({"config":{"A":"1"},"secrets":{"DB":"2"}})", 10};
    ASSERT_TRUE(store.put_instance_config(row).ok());
    InstanceConfigRow again = row;
    again.rendered_json = "{}";
    again.created_at = 20;
    ASSERT_TRUE(store.put_instance_config(again).ok());  // same hash: the first one stays
  }
  StateStore reopened;
  open_ok(reopened, path);
  auto found = reopened.instance_config("h1");
  ASSERT_TRUE(found.ok()) << found.error();
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(*found.value(),
            (InstanceConfigRow{"h1", "shop", "staging", R"({"config":{"A":"1"},"secrets":{"DB":"2"}})", 10}));
  EXPECT_FALSE(reopened.instance_config("nope").value().has_value());
}

}  // namespace
}  // namespace switchyard::controller::store
