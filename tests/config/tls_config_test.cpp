// The `tls:` listener key: the SPEC form {cert, key} and the extension {certificates: [...]}.
#include <gtest/gtest.h>

#include "tests/config/config_test_util.hpp"

namespace switchyard::config {
namespace {
using test::error_of;
using test::parse_ok;

TEST(TlsConfigTest, CertificatesListIsDecodedInOrder) {
  auto config = parse_ok(
      "listeners:\n  - address: 127.0.0.1:8443\n    tls:\n      certificates:\n"
      "        - { cert: a.pem, key: a.key }\n        - { cert: b.pem, key: b.key }\n");
  ASSERT_TRUE(config.listeners[0].tls.has_value());
  const auto& tls = *config.listeners[0].tls;
  EXPECT_TRUE(tls.cert.empty());
  ASSERT_EQ(tls.certificates.size(), 2u);
  EXPECT_EQ(tls.certificates[1], (TlsCertificate{"b.pem", "b.key"}));
}

TEST(TlsConfigTest, MistakesNameTheirKeyPath) {
  EXPECT_EQ(error_of("listeners: [{address: 127.0.0.1:1, tls: {certificates: []}}]\n"),
            "proxy.yaml: listeners[0].tls.certificates: must not be empty");
  EXPECT_EQ(error_of("listeners: [{address: 127.0.0.1:1, tls: {cert: a, certificates: [{cert: a, key: b}]}}]\n"),
            "proxy.yaml: listeners[0].tls: has either 'cert'/'key' or 'certificates', not both");
  EXPECT_EQ(error_of("listeners: [{address: 127.0.0.1:1, tls: {certificates: [{cert: a}]}}]\n"),
            "proxy.yaml: listeners[0].tls.certificates[0].key: is required");
  EXPECT_EQ(error_of("listeners: [{address: 127.0.0.1:1, tls: {certificates: [{cert: a, key: b, x: c}]}}]\n"),
            "proxy.yaml: listeners[0].tls.certificates[0].x: unknown key");
}

}  // namespace
}  // namespace switchyard::config
