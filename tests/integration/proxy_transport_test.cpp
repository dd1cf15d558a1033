// Transport behaviour of the proxy: keep-alive reuse upstream, pipelining order, forwarded and
// hop-by-hop headers, streamed bodies in bounded memory, graceful shutdown.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <cstdlib>
#include <future>
#include <thread>

#include "tests/integration/proxy_test_util.hpp"
#include "tests/support/rss.hpp"

namespace switchyard::test {
namespace {

std::string one_backend_config(const DemoBackend& backend, const std::string& extra = "workers: 1\n") {
  return "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n" + extra +
         "upstreams:\n  - { name: b, endpoints: [" + backend.address() + "] }\n"
         "routes:\n  - name: r\n    split: [ { version: v1, upstream: b, weight: 1 } ]\n";
}

std::int64_t backend_stat(const DemoBackend& backend, const char* key) {
  auto stats = http_request("127.0.0.1", backend.port(), "GET", "/admin/stats");
  return boost::json::parse(stats.body).as_object().at(key).as_int64();
}

// Requests the backend has read the head of and not yet answered, besides this stats call.
std::int64_t backend_in_flight(const DemoBackend& backend) {
  auto stats = http_request("127.0.0.1", backend.port(), "GET", "/admin/stats");
  const auto value = boost::json::parse(stats.body);
  const auto& object = value.as_object();
  return object.at("heads").as_int64() - object.at("requests").as_int64() - 1;
}

TEST(ProxyTransport, UpstreamConnectionsAreReused) {
  DemoBackend backend("blue");
  ProxyProcess proxy(one_backend_config(backend));
  ASSERT_TRUE(proxy.ok());
  auto accepts_before = backend_stat(backend, "accepts");
  {
    HttpClient client("127.0.0.1", proxy.port());
    for (int i = 0; i < 200; ++i) ASSERT_EQ(client.request("GET", "/").status, 200);
  }
  // Separate client connections, one after another, share the pooled upstream connection too.
  for (int i = 0; i < 20; ++i) ASSERT_EQ(http_request("127.0.0.1", proxy.port(), "GET", "/").status, 200);
  auto accepts = backend_stat(backend, "accepts") - accepts_before - 1;  // minus our stats call
  EXPECT_LE(accepts, 2) << "220 proxied requests opened " << accepts << " upstream connections";
  EXPECT_GE(accepts, 1);
}

TEST(ProxyTransport, PipelinedRequestsAnsweredInOrder) {
  DemoBackend backend("blue");
  ProxyProcess proxy(one_backend_config(backend));
  ASSERT_TRUE(proxy.ok());
  std::string pipeline;
  for (int i = 0; i < 5; ++i) pipeline += "GET /echo?n=" + std::to_string(i) + " HTTP/1.1\r\nHost: a\r\n\r\n";
  pipeline += "GET /echo?n=last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  auto received = raw_exchange(proxy.port(), pipeline);
  std::size_t at = 0;
  for (std::string n : {"0", "1", "2", "3", "4", "last"}) {
    auto found = received.find("/echo?n=" + n + "\"", at);
    ASSERT_NE(found, std::string::npos) << "response " << n << " missing or out of order:\n" << received;
    at = found;
  }
}

TEST(ProxyTransport, ForwardedHeadersAddedAndHopByHopRemoved) {
  DemoBackend backend("blue");
  ProxyProcess proxy(one_backend_config(backend));
  ASSERT_TRUE(proxy.ok());
  HttpClient client("127.0.0.1", proxy.port());
  auto response = client.request("GET", "/echo", "",
                                 {{"Host", "shop.example.com"},
                                  {"X-Forwarded-For", "10.1.2.3"},
                                  {"Connection", "keep-alive, X-Private"},
                                  {"X-Private", "secret"},
                                  {"Keep-Alive", "timeout=5"},
                                  {"TE", "trailers"},
                                  {"X-End-To-End", "kept"}});
  ASSERT_EQ(response.status, 200);
  auto headers = boost::json::parse(response.body).as_object().at("headers").as_object();
  EXPECT_EQ(headers.at("x-forwarded-for").as_string(), "10.1.2.3, 127.0.0.1");
  EXPECT_EQ(headers.at("x-forwarded-proto").as_string(), "http");
  EXPECT_EQ(headers.at("x-forwarded-host").as_string(), "shop.example.com");
  EXPECT_EQ(headers.at("host").as_string(), "shop.example.com");
  EXPECT_EQ(headers.at("x-end-to-end").as_string(), "kept");
  EXPECT_FALSE(headers.contains("x-private"));
  EXPECT_FALSE(headers.contains("keep-alive"));
  EXPECT_FALSE(headers.contains("te"));
  EXPECT_FALSE(headers.contains("connection") && headers.at("connection").as_string() == "keep-alive, X-Private");
}

TEST(ProxyTransport, LargeBodiesStreamInBoundedMemory) {
  DemoBackend backend("blue");
  ProxyProcess proxy(one_backend_config(backend));
  ASSERT_TRUE(proxy.ok());
  // 256 MiB each way (the figure); sanitizer builds may lower it with SWITCHYARD_STREAM_TEST_MIB.
  const char* mib = std::getenv("SWITCHYARD_STREAM_TEST_MIB");
  const std::uint64_t kBytes = (mib ? std::strtoull(mib, nullptr, 10) : 256ull) << 20;
  HttpClient client("127.0.0.1", proxy.port(), std::chrono::seconds(120));
  auto rss_before = current_rss_kib(proxy.process().pid());

  auto down = client.download("/bytes?n=" + std::to_string(kBytes));
  ASSERT_TRUE(down.ok()) << down.error;
  EXPECT_EQ(down.status, 200);
  EXPECT_EQ(down.bytes, kBytes);
  EXPECT_EQ(down.checksum, pattern_checksum(kBytes));

  auto chunked_down = client.download("/bytes?chunked=1&n=" + std::to_string(kBytes / 4));
  EXPECT_EQ(chunked_down.bytes, kBytes / 4);
  EXPECT_EQ(chunked_down.checksum, pattern_checksum(kBytes / 4));

  auto up = client.upload("/upload", kBytes);
  ASSERT_TRUE(up.ok()) << up.error;
  ASSERT_EQ(up.status, 200);
  auto result = boost::json::parse(up.body).as_object();
  EXPECT_EQ(result.at("bytes").as_int64(), static_cast<std::int64_t>(kBytes));
  EXPECT_EQ(static_cast<std::uint32_t>(result.at("checksum").as_int64()), pattern_checksum(kBytes));

  auto chunked_up = client.upload("/upload", kBytes / 4, /*chunked=*/true);
  ASSERT_EQ(chunked_up.status, 200);
  EXPECT_EQ(boost::json::parse(chunked_up.body).as_object().at("bytes").as_int64(), static_cast<std::int64_t>(kBytes / 4));

  auto peak = peak_rss_kib(proxy.process().pid());
  ASSERT_TRUE(peak && rss_before);
  // Bounded: a few buffers, nowhere near the 256 MiB that passed through. (Sanitizer builds keep
  // freed memory in quarantine and shadow every byte: there only the streaming itself is checked.)
#ifndef SWITCHYARD_SANITIZED_BUILD
  EXPECT_LT(*peak, 64 * 1024) << "peak RSS " << *peak << " KiB";
#endif
  std::printf("[ metric ] proxy RSS before %ld KiB, peak %ld KiB after 2 x %llu MiB + 2 x %llu MiB streamed\n",
              *rss_before, *peak, static_cast<unsigned long long>(kBytes >> 20), static_cast<unsigned long long>(kBytes >> 22));
}

TEST(ProxyTransport, ShutdownFinishesInFlightRequests) {
  DemoBackend slow("slow", {"--latency-ms", "700"});
  ProxyProcess proxy(one_backend_config(slow));
  ASSERT_TRUE(proxy.ok());
  HttpClient idle("127.0.0.1", proxy.port());
  ASSERT_EQ(idle.request("GET", "/healthz").status, 200);  // an idle keep-alive connection
  auto in_flight = std::async(std::launch::async, [&] { return http_request("127.0.0.1", proxy.port(), "GET", "/"); });
  // Wait (bounded) until the request is in flight at the upstream, then ask the proxy to stop.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool reached = false;
  while (!(reached = backend_in_flight(slow) >= 1) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(reached) << "the request never reached the upstream";
  proxy.process().signal(SIGTERM);
  auto response = in_flight.get();
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(answered_by(response), "slow");
  auto code = proxy.process().wait_exit(std::chrono::seconds(10));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace switchyard::test
