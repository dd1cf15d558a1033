// WebSocket (and any Upgrade) through the proxy: the 101 is passed on and bytes are tunnelled
// both ways, over plain and TLS listeners; the exchange counts against the routed version.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

#include "tests/integration/proxy_test_util.hpp"
#include "tests/integration/tls_test_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::test {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// Echo of several text and binary messages, then a close started by the client, or (with
// `server_closes`) by the backend on the message "close".
template <class Ws>
void exercise_echo(Ws& ws, bool server_closes) {
  ws.set_option(websocket::stream_base::timeout{std::chrono::seconds(10), std::chrono::seconds(10), false});
  ws.handshake("shop", "/ws");
  beast::flat_buffer buffer;
  for (int i = 0; i < 5; ++i) {
    const bool binary = i % 2 == 1;
    std::string message = (binary ? std::string("\0\1\2bin", 6) : "text ") + std::to_string(i) + std::string(i * 7000, 'x');
    ws.binary(binary);
    ws.write(asio::buffer(message));
    ws.read(buffer);
    EXPECT_EQ(ws.got_binary(), binary);
    EXPECT_EQ(beast::buffers_to_string(buffer.data()), message);
    buffer.consume(buffer.size());
  }
  if (server_closes) {
    ws.text(true);
    ws.write(asio::buffer(std::string("close")));
    boost::system::error_code ec;
    ws.read(buffer, ec);
    EXPECT_EQ(ec, websocket::error::closed) << ec.message();
  } else {
    ws.close(websocket::close_code::normal);
  }
}

std::uint64_t requests_of_blue(const ProxyProcess& proxy) {
  auto response = http_request("127.0.0.1", proxy.admin_port(), "GET", "/v1/routes/shop/stats");
  auto stats = boost::json::parse(response.body);
  return boost::json::value_to<std::uint64_t>(stats.at("versions").at("blue").at("requests"));
}

class ProxyWebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(backend_.ok()); }
  TempDir dir_;
  DemoBackend backend_{"blue"};
};

TEST_F(ProxyWebSocketTest, EchoesThroughAPlainListenerAndCountsAgainstTheVersion) {
  ProxyProcess proxy(single_backend_config(backend_, "  - address: 127.0.0.1:0\n"));
  ASSERT_TRUE(proxy.ok());
  for (bool server_closes : {false, true}) {
    asio::io_context io;
    websocket::stream<tcp::socket> ws(io);
    ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), proxy.port()});
    exercise_echo(ws, server_closes);
  }
  EXPECT_EQ(requests_of_blue(proxy), 2u);
  auto metrics = http_request("127.0.0.1", proxy.admin_port(), "GET", "/metrics").body;
  EXPECT_EQ(metrics.find(R"(switchyard_requests_total{route="shop",version="blue",code="5xx"} 1)"), std::string::npos);
}

TEST_F(ProxyWebSocketTest, EchoesThroughATlsListener) {
  TlsCerts certs(dir_.path());
  ASSERT_TRUE(certs.ok()) << certs.error();
  ASSERT_TRUE(certs.make_leaf("a", "a.test", {"a.test"})) << certs.error();
  ProxyProcess proxy(single_backend_config(
      backend_, "  - address: 127.0.0.1:0\n    tls: { cert: " + certs.cert("a") + ", key: " + certs.key("a") + " }\n"));
  ASSERT_TRUE(proxy.ok());
  for (bool server_closes : {false, true}) {
    asio::io_context io;
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.load_verify_file(certs.ca());
    context.set_verify_mode(asio::ssl::verify_peer);
    websocket::stream<asio::ssl::stream<tcp::socket>> ws(io, context);
    SSL_set_tlsext_host_name(ws.next_layer().native_handle(), "a.test");
    ws.next_layer().set_verify_callback(asio::ssl::host_name_verification("a.test"));
    beast::get_lowest_layer(ws).connect({asio::ip::make_address("127.0.0.1"), proxy.port()});
    ws.next_layer().handshake(asio::ssl::stream_base::client);
    exercise_echo(ws, server_closes);
  }
  EXPECT_EQ(requests_of_blue(proxy), 2u);
}

TEST_F(ProxyWebSocketTest, AnUpgradeTheUpstreamDeclinesIsAnOrdinaryResponse) {
  ProxyProcess proxy(single_backend_config(backend_, "  - address: 127.0.0.1:0\n"));
  ASSERT_TRUE(proxy.ok());
  // The demo's /echo answers 200 to anything: the Upgrade headers reach it, the answer is normal
  // and the connection stays usable for the next request.
  auto reply = raw_exchange(proxy.port(),
                            "GET /echo HTTP/1.1\r\nHost: shop\r\nConnection: Upgrade\r\nUpgrade: foo/1\r\n\r\n"
                            "GET /healthz HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(reply.find("HTTP/1.1 200"), 0u) << reply;
  EXPECT_NE(reply.find(R"("upgrade":"foo/1")"), std::string::npos) << reply;
  EXPECT_NE(reply.find(R"("connection":"upgrade")"), std::string::npos) << reply;
  EXPECT_NE(reply.find("ok\n"), std::string::npos) << reply;
}

}  // namespace
}  // namespace switchyard::test
