// TLS termination on listeners: SNI certificate choice, ALPN, protocol floor, X-Forwarded-Proto,
// keep-alive and streamed bodies over TLS, certificate re-read on reload, bad certificates.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "tests/integration/tls_test_util.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_http_client.hpp"

namespace switchyard::test {
namespace {

class ProxyTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(certs_.ok()) << certs_.error();
    ASSERT_TRUE(certs_.make_leaf("a", "a.test", {"a.test"})) << certs_.error();
    ASSERT_TRUE(certs_.make_leaf("b", "b.test", {"b.test", "*.b.test"})) << certs_.error();
    ASSERT_TRUE(backend_.ok());
  }
  std::string two_certificates() const {
    return "  - address: 127.0.0.1:0\n"
           "    tls:\n"
           "      certificates:\n"
           "        - { cert: " + certs_.cert("a") + ", key: " + certs_.key("a") + " }\n"
           "        - { cert: " + certs_.cert("b") + ", key: " + certs_.key("b") + " }\n";
  }
  std::string curl(std::uint16_t port, const std::string& host, const std::string& args) const {
    const std::string p = std::to_string(port);
    return run_command("timeout 20 curl -sS --cacert " + certs_.ca() + " --resolve " + host + ":" + p +
                       ":127.0.0.1 " + args)
        .second;
  }

  TempDir dir_;
  TlsCerts certs_{dir_.path()};
  DemoBackend backend_{"blue"};
};

TEST_F(ProxyTlsTest, ServesTheCertificateChosenBySniAndTheFirstByDefault) {
  ProxyProcess proxy(single_backend_config(backend_, two_certificates()));
  ASSERT_TRUE(proxy.ok());
  EXPECT_NE(s_client(proxy.port(), "-servername b.test").find("CN = b.test"), std::string::npos);
  EXPECT_NE(s_client(proxy.port(), "-servername x.b.test").find("CN = b.test"), std::string::npos) << "wildcard";
  EXPECT_NE(s_client(proxy.port(), "-servername a.test").find("CN = a.test"), std::string::npos);
  EXPECT_NE(s_client(proxy.port(), "-servername other.test").find("CN = a.test"), std::string::npos);
  EXPECT_NE(s_client(proxy.port(), "-noservername").find("CN = a.test"), std::string::npos);
}

TEST_F(ProxyTlsTest, SelectsHttp11ByAlpnAndRefusesOldProtocolsAndH2Only) {
  ProxyProcess proxy(single_backend_config(backend_, two_certificates()));
  ASSERT_TRUE(proxy.ok());
  EXPECT_NE(s_client(proxy.port(), "-servername a.test -alpn h2,http/1.1").find("ALPN protocol: http/1.1"),
            std::string::npos);
  auto h2_only = s_client(proxy.port(), "-servername a.test -alpn h2");
  EXPECT_EQ(h2_only.find("ALPN protocol: h2"), std::string::npos) << h2_only;
  EXPECT_NE(h2_only.find("alert"), std::string::npos) << h2_only;
  // The client side must allow TLS 1.1 (security level 0) for the refusal to be the server's.
  auto old = s_client(proxy.port(), "-servername a.test -tls1_1 -cipher DEFAULT@SECLEVEL=0");
  EXPECT_NE(old.find("Cipher is (NONE)"), std::string::npos) << old;
  EXPECT_EQ(old.find("BEGIN CERTIFICATE"), std::string::npos) << old;
  auto tls12 = s_client(proxy.port(), "-servername a.test -tls1_2");
  EXPECT_NE(tls12.find("ECDHE"), std::string::npos) << tls12;
}

TEST_F(ProxyTlsTest, ForwardsHttpsRequestsWithForwardedProtoKeepAliveAndBodies) {
  ProxyProcess proxy(single_backend_config(backend_, two_certificates()));
  ASSERT_TRUE(proxy.ok());
  const std::string base = "https://a.test:" + std::to_string(proxy.port());
  auto echo = curl(proxy.port(), "a.test", base + "/echo");
  EXPECT_NE(echo.find(R"("x-forwarded-proto":"https")"), std::string::npos) << echo;
  // Two requests, one connection.
  auto connects = curl(proxy.port(), "a.test", "-o /dev/null -o /dev/null -w '%{num_connects} ' " + base + "/healthz " + base + "/healthz");
  EXPECT_EQ(connects, "1 0 ");
  // A large streamed download (chunked by the backend) and a chunked upload.
  auto download = curl(proxy.port(), "a.test", "-o /dev/null -w '%{http_code} %{size_download}' '" + base +
                                                  "/bytes?n=8000000&chunked=1'");
  EXPECT_EQ(download, "200 8000000");
  std::string upload_file = dir_.path() + "/upload.bin";
  std::filesystem::resize_file(dir_.write_file("upload.bin", "x"), 3000000);
  auto upload = curl(proxy.port(), "a.test", "-H 'Transfer-Encoding: chunked' --data-binary @" + upload_file + " " +
                                                base + "/echo");
  EXPECT_NE(upload.find(R"("body_bytes":3000000)"), std::string::npos) << upload;
  // Pipelined requests over one TLS connection come back in order.
  auto pipelined = run_command("(printf 'GET /echo?1 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\nGET /echo?2 HTTP/1.1\\r\\nHost: a\\r\\n"
                               "Connection: close\\r\\n\\r\\n'; sleep 2) | timeout 10 openssl s_client -quiet -connect "
                               "127.0.0.1:" + std::to_string(proxy.port()) + " -servername a.test")
                       .second;
  auto first = pipelined.find(R"("target":"/echo?1")");
  auto second = pipelined.find(R"("target":"/echo?2")");
  ASSERT_NE(first, std::string::npos) << pipelined;
  ASSERT_NE(second, std::string::npos) << pipelined;
  EXPECT_LT(first, second);
}

TEST_F(ProxyTlsTest, ReloadRereadsCertificatesAndKeepsOpenConnections) {
  ProxyProcess proxy(single_backend_config(backend_, "  - address: 127.0.0.1:0\n    tls: { cert: " + certs_.cert("a") +
                                                         ", key: " + certs_.key("a") + " }\n"));
  ASSERT_TRUE(proxy.ok());
  TlsHttpConnection open(proxy.port(), "a.test", certs_.ca());
  ASSERT_TRUE(open.ok()) << open.error();
  EXPECT_NE(open.peer_subject().find("CN=a.test"), std::string::npos) << open.peer_subject();
  EXPECT_EQ(open.get("/healthz"), 200);

  // Same names, new certificate (another CN): replace the files and reload.
  ASSERT_TRUE(certs_.make_leaf("a2", "a.test renewed", {"a.test"})) << certs_.error();
  std::filesystem::copy_file(certs_.cert("a2"), certs_.cert("a"), std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(certs_.key("a2"), certs_.key("a"), std::filesystem::copy_options::overwrite_existing);
  auto reload = http_request("127.0.0.1", proxy.admin_port(), "POST", "/v1/config/reload");
  EXPECT_EQ(reload.status, 200) << reload.body;

  TlsHttpConnection fresh(proxy.port(), "a.test", certs_.ca());
  ASSERT_TRUE(fresh.ok()) << fresh.error();
  EXPECT_NE(fresh.peer_subject().find("CN=a.test renewed"), std::string::npos) << fresh.peer_subject();
  EXPECT_EQ(fresh.get("/healthz"), 200);
  EXPECT_EQ(open.get("/healthz"), 200) << "the connection opened before the reload keeps working";

  // A broken key file: the reload is refused and the running certificates stay.
  dir_.write_file("a.key", "not a key\n");
  reload = http_request("127.0.0.1", proxy.admin_port(), "POST", "/v1/config/reload");
  EXPECT_EQ(reload.status, 400) << reload.body;
  EXPECT_NE(reload.body.find("listeners[0].tls.key"), std::string::npos) << reload.body;
  TlsHttpConnection after(proxy.port(), "a.test", certs_.ca());
  EXPECT_TRUE(after.ok()) << after.error();
  EXPECT_EQ(after.get("/healthz"), 200);
}

TEST_F(ProxyTlsTest, BadCertificatesAreConfigErrorsNamingTheKeyPath) {
  struct Case {
    std::string tls;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"{ certificates: [ { cert: " + certs_.cert("a") + ", key: " + dir_.path() + "/missing.key } ] }",
       "listeners[1].tls.certificates[0].key: cannot read"},
      {"{ cert: " + certs_.cert("a") + ", key: " + certs_.key("b") + " }", "listeners[1].tls.key: does not match"},
      {"{ cert: " + certs_.key("a") + ", key: " + certs_.key("a") + " }", "listeners[1].tls.cert: not a usable"},
  };
  for (const auto& c : cases) {
    auto config = dir_.write_file("bad.yaml", single_backend_config(backend_, "  - address: 127.0.0.1:0\n"
                                                                             "  - address: 127.0.0.1:0\n"
                                                                             "    tls: " + c.tls + "\n"));
    ChildProcess proxy(bin_path("switchyard-proxy"), {"--config", config});
    EXPECT_EQ(proxy.wait_exit(), 2);
    EXPECT_NE(proxy.output().find(config + ": " + c.expected), std::string::npos) << proxy.output();
  }
}

}  // namespace
}  // namespace switchyard::test
