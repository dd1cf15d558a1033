// The upstream keys of docs/health.md: outlier_detection (on by default) and the circuit breakers.
#include <gtest/gtest.h>

#include "tests/config/config_test_util.hpp"

namespace switchyard::config {
namespace {

const std::string kBase = "listeners: [{address: 127.0.0.1:8080}]\nupstreams:\n";

TEST(UpstreamHealthConfigTest, DefaultsWhenAbsent) {
  const auto config = test::parse_ok(kBase + "  - { name: b, endpoints: [127.0.0.1:9001] }\n");
  ASSERT_EQ(config.upstreams.size(), 1u);
  const auto& upstream = config.upstreams[0];
  EXPECT_TRUE(upstream.outlier_detection.enabled);
  EXPECT_EQ(upstream.outlier_detection.consecutive_failures, 5u);
  EXPECT_EQ(upstream.outlier_detection.base_ejection_ms, 10000u);
  EXPECT_EQ(upstream.outlier_detection.max_ejection_ms, 300000u);
  EXPECT_EQ(upstream.max_connections, 0u);
  EXPECT_EQ(upstream.max_pending, 0u);
  EXPECT_EQ(upstream.max_requests, 0u);
}

TEST(UpstreamHealthConfigTest, ExplicitValues) {
  const auto config = test::parse_ok(
      kBase +
      "  - name: b\n"
      "    endpoints: [127.0.0.1:9001]\n"
      "    outlier_detection: { consecutive_failures: 3, base_ejection_ms: 500, max_ejection_ms: 4000 }\n"
      "    max_connections: 10\n    max_pending: 4\n    max_requests: 20\n"
      "  - name: c\n    outlier_detection: { enabled: false }\n");
  const auto& b = config.upstreams[0];
  EXPECT_TRUE(b.outlier_detection.enabled);
  EXPECT_EQ(b.outlier_detection.consecutive_failures, 3u);
  EXPECT_EQ(b.outlier_detection.base_ejection_ms, 500u);
  EXPECT_EQ(b.outlier_detection.max_ejection_ms, 4000u);
  EXPECT_EQ(b.max_connections, 10u);
  EXPECT_EQ(b.max_pending, 4u);
  EXPECT_EQ(b.max_requests, 20u);
  EXPECT_FALSE(config.upstreams[1].outlier_detection.enabled);
}

}  // namespace
}  // namespace switchyard::config
