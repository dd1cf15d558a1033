// The request path's head work per request (issue 7): scanning and parsing the client's head,
// writing the upstream head with the forwarding edits, parsing the upstream's response head flat
// and writing the client's. Heads are what wrk and a browser send.
#include <benchmark/benchmark.h>

#include <boost/asio/buffer.hpp>
#include <string>
#include <string_view>

#include "proxy/net/flat_response_head.hpp"
#include "proxy/net/head_writer.hpp"
#include "proxy/net/request_checks.hpp"

namespace switchyard::proxy::net {
namespace {

constexpr std::string_view kWrkRequest = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
constexpr std::string_view kBrowserRequest =
    "GET /catalog/items?page=2&sort=price HTTP/1.1\r\nHost: shop.example.com\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    "Accept-Language: en-GB,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: keep-alive\r\n"
    "Cookie: sy_cohort=8f3a2b1c; session=abc123def456\r\nUpgrade-Insecure-Requests: 1\r\n\r\n";
constexpr std::string_view kResponse =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\nDate: Fri, 27 Nov 2026 21:00:00 GMT\r\n"
    "Server: demo\r\nCache-Control: no-store\r\n\r\nstable\n";

config::LimitsConfig limits() { return config::LimitsConfig{}; }

void scan(benchmark::State& state, std::string_view head) {
  const auto configured = limits();
  for (auto _ : state) {
    HeadScanner scanner(configured);
    benchmark::DoNotOptimize(scanner.scan(head));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * head.size()));
}
void BM_HeadScanWrk(benchmark::State& state) { scan(state, kWrkRequest); }
void BM_HeadScanBrowser(benchmark::State& state) { scan(state, kBrowserRequest); }
BENCHMARK(BM_HeadScanWrk);
BENCHMARK(BM_HeadScanBrowser);

// Beast's parse of the head plus the proxy's checks: what every request still pays.
void parse_and_check(benchmark::State& state, std::string_view head) {
  const auto configured = limits();
  for (auto _ : state) {
    HeadParser parser;
    configure_request_parser(parser, configured);
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(head.data(), head.size()), ec);
    benchmark::DoNotOptimize(check_request_head(parser.get(), configured));
  }
}
void BM_RequestParseAndCheckWrk(benchmark::State& state) { parse_and_check(state, kWrkRequest); }
void BM_RequestParseAndCheckBrowser(benchmark::State& state) { parse_and_check(state, kBrowserRequest); }
BENCHMARK(BM_RequestParseAndCheckWrk);
BENCHMARK(BM_RequestParseAndCheckBrowser);

void BM_WriteUpstreamRequestHeadWithEdits(benchmark::State& state) {
  HeadParser parser;
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(kBrowserRequest.data(), kBrowserRequest.size()), ec);
  const ForwardingEdits edits{"203.0.113.7", "http"};
  char buffer[4096];
  for (auto _ : state) {
    HeadWriter out(buffer, sizeof buffer);
    write_request_head(parser.get(), &edits, out);
    benchmark::DoNotOptimize(out.size());
  }
}
BENCHMARK(BM_WriteUpstreamRequestHeadWithEdits);

void BM_FlatResponseHeadParse(benchmark::State& state) {
  FlatResponseHead head;
  for (auto _ : state) benchmark::DoNotOptimize(head.parse(kResponse));
}
BENCHMARK(BM_FlatResponseHeadParse);

void BM_WriteClientResponseHead(benchmark::State& state) {
  FlatResponseHead head;
  head.parse(kResponse);
  char buffer[4096];
  for (auto _ : state) {
    HeadWriter out(buffer, sizeof buffer);
    write_response_head(head, "sy_cohort=8f3a2b1c; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax", true, out);
    benchmark::DoNotOptimize(out.size());
  }
}
BENCHMARK(BM_WriteClientResponseHead);

}  // namespace
}  // namespace switchyard::proxy::net
