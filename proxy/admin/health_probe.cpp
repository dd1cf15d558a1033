#include "proxy/admin/health_probe.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace switchyard::proxy::admin {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxCheckBody = 64 * 1024;

struct Target {
  std::string host;
  std::uint16_t port = 0;
  std::string key;  // Host header
  std::string path;
  std::chrono::milliseconds timeout{0};
};

std::string failed(std::string_view step, const boost::system::error_code& ec, const Target& target) {
  if (ec == beast::error::timeout) return std::string(step) + ": timed out after " + std::to_string(target.timeout.count()) + " ms";
  return std::string(step) + ": " + ec.message();
}

asio::awaitable<routing::ProbeResult> check_once(const Target& target) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(target.host, ec);
  if (ec) co_return routing::ProbeResult{false, "bad address " + target.host};
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(target.timeout);  // one deadline for the whole check
  auto [cec] = co_await stream.async_connect(tcp::endpoint{address, target.port}, nothrow);
  if (cec) co_return routing::ProbeResult{false, failed("connect", cec, target)};
  http::request<http::empty_body> request{http::verb::get, target.path, 11};
  request.set(http::field::host, target.key);
  request.set(http::field::user_agent, "switchyard-health-check");
  request.keep_alive(false);
  auto [wec, wn] = co_await http::async_write(stream, request, nothrow);
  if (wec) co_return routing::ProbeResult{false, failed("send", wec, target)};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxCheckBody);
  auto [rec, rn] = co_await http::async_read(stream, buffer, parser, nothrow);
  if (rec && !(rec == http::error::body_limit && parser.is_header_done())) {
    co_return routing::ProbeResult{false, failed("response", rec, target)};
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  const unsigned status = parser.get().result_int();
  if (status / 100 == 2) co_return routing::ProbeResult{true, {}};
  co_return routing::ProbeResult{false, "status " + std::to_string(status)};
}

asio::awaitable<void> run_probe(std::shared_ptr<routing::EndpointHealth> health, Target target) {
  auto result = co_await check_once(target);
  health->control.probe_result = std::move(result);
  health->control.probe_in_flight = false;
}

}  // namespace

void start_health_probe(asio::io_context& control, const routing::Endpoint& endpoint, std::string path,
                        std::chrono::milliseconds timeout) {
  if (!endpoint.health) return;
  endpoint.health->control.probe_in_flight = true;
  Target target{endpoint.host, endpoint.port, endpoint.key, std::move(path), timeout};
  asio::co_spawn(control, run_probe(endpoint.health, std::move(target)), asio::detached);
}

}  // namespace switchyard::proxy::admin
