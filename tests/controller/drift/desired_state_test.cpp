// The diff format of docs/drift.md and how controller changes move the desired state.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "controller/drift/desired_state.hpp"

namespace switchyard::controller::drift {
namespace {

boost::json::value config_with(const std::string& split, const std::string& endpoints) {
  return boost::json::parse(R"({"upstreams":[{"name":"shop-v1","endpoints":["127.0.0.1:1"]},
    {"name":"shop-v2","endpoints":)" + endpoints + R"(}],"routes":[{"name":"shop","split":)" + split +
                            R"(},{"name":"other","split":[]}]})");
}

const std::string kSplit = R"([{"version":"v1","upstream":"shop-v1","weight":90},{"version":"v2","upstream":"shop-v2","weight":10}])";

TEST(DesiredState, ManagedPartsOnly) {
  auto desired = managed_from_config(config_with(kSplit, R"(["127.0.0.1:2"])"), {"shop"});
  EXPECT_EQ(desired.routes.size(), 1u);
  EXPECT_EQ(desired.upstreams.size(), 2u);
  EXPECT_TRUE(diff(desired, all_from_config(config_with(kSplit, R"(["127.0.0.1:2"])"))).empty());
}

TEST(DesiredState, ReadableDiff) {
  auto desired = managed_from_config(config_with(kSplit, R"(["127.0.0.1:2"])"), {"shop"});
  const std::string drifted =
      R"([{"version":"v1","upstream":"shop-v1","weight":100},{"version":"v2","upstream":"shop-v2","weight":0},{"version":"v3","upstream":"shop-v1","weight":5}])";
  auto lines = diff(desired, all_from_config(config_with(drifted, R"(["127.0.0.1:9"])")));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "route shop: weight v1 desired 90, actual 100");
  EXPECT_EQ(lines[1], "route shop: weight v2 desired 10, actual 0");
  EXPECT_EQ(lines[2], "route shop: version v3 unexpected (weight 5)");
  EXPECT_EQ(lines[3], "upstream shop-v2: endpoint 127.0.0.1:2 missing, 127.0.0.1:9 unexpected");
}

TEST(DesiredState, ControllerChangesMoveTheDesiredState) {
  auto desired = managed_from_config(config_with(kSplit, R"(["127.0.0.1:2"])"), {"shop"});
  apply_change(desired, proxies::weights_change("shop", {{"v2", 50}}));
  EXPECT_EQ(desired.routes["shop"][0].weight, 90u);
  EXPECT_EQ(desired.routes["shop"][1].weight, 50u);
  apply_change(desired, proxies::weights_change("other-unmanaged", {{"x", 1}}));
  EXPECT_FALSE(desired.routes.contains("other-unmanaged"));
  const std::vector<std::string> endpoints{"127.0.0.1:3"};
  apply_change(desired, proxies::upstream_change("shop-v3", &endpoints));
  EXPECT_EQ(desired.upstreams["shop-v3"], endpoints);
  apply_change(desired, proxies::upstream_change("shop-v3", nullptr));
  EXPECT_FALSE(desired.upstreams.contains("shop-v3"));
  apply_change(desired, proxies::split_change("shop", {{"v2", "shop-v2", 100}}));
  EXPECT_EQ(desired.routes["shop"].size(), 1u);
}

}  // namespace
}  // namespace switchyard::controller::drift
