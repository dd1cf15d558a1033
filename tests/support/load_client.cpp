#include "tests/support/load_client.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <sstream>
#include <thread>

namespace switchyard::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxErrorSamples = 8;
constexpr std::size_t kMaxCountedBody = 64;

std::string trimmed(std::string body) {
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return body;
}
}  // namespace

struct LoadClient::Impl {
  explicit Impl(LoadOptions o) : options(std::move(o)) {}

  LoadOptions options;
  asio::io_context io{1};
  std::thread thread;
  std::atomic<bool> stopping{false};
  Clock::time_point started{};
  // Written by the io thread; read by the test thread (snapshot) through the atomics only.
  std::atomic<std::uint64_t> requests{0}, s2{0}, s3{0}, s4{0}, s5{0};
  std::atomic<std::uint64_t> connect_errors{0}, reset_errors{0}, eof_errors{0}, timeouts{0}, other_errors{0};
  std::atomic<std::uint64_t> retries{0}, connects{0};
  // io thread only; read after the thread was joined.
  std::vector<std::uint32_t> latencies_us;
  std::map<std::string, std::uint64_t> bodies;
  std::vector<std::string> error_samples;

  void count_status(unsigned status) {
    auto& counter = status < 300 ? s2 : status < 400 ? s3 : status < 500 ? s4 : s5;
    counter.fetch_add(1, std::memory_order_relaxed);
    requests.fetch_add(1, std::memory_order_relaxed);
  }

  void count_error(const boost::system::error_code& ec, const char* phase, bool got_some) {
    if (phase == std::string_view("connect")) {
      connect_errors.fetch_add(1, std::memory_order_relaxed);
    } else if (ec == beast::error::timeout) {
      timeouts.fetch_add(1, std::memory_order_relaxed);
    } else if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe) {
      reset_errors.fetch_add(1, std::memory_order_relaxed);
    } else if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == http::error::partial_message) {
      eof_errors.fetch_add(1, std::memory_order_relaxed);
    } else {
      other_errors.fetch_add(1, std::memory_order_relaxed);
    }
    if (error_samples.size() < kMaxErrorSamples)
      error_samples.push_back(std::string(phase) + ": " + ec.message() + (got_some ? " (mid-response)" : ""));
  }

  http::request<http::string_body> make_request(std::uint64_t n) const {
    const bool post = options.post_every != 0 && n % options.post_every == options.post_every - 1;
    http::request<http::string_body> request{post ? http::verb::post : http::verb::get, options.target, 11};
    request.set(http::field::host, options.host + ":" + std::to_string(options.port));
    if (post) {
      request.set(http::field::content_type, "text/plain");
      request.body() = options.post_body;
    }
    request.prepare_payload();
    return request;
  }

  // Not inlined: GCC 12 at -O2 inlines the coroutine ramp into start() and then reports a false
  // -Wmismatched-new-delete between Asio's frame operator new and operator delete.
  [[gnu::noinline]] asio::awaitable<void> run_connection(tcp::endpoint endpoint) {
    beast::tcp_stream stream(io.get_executor());
    beast::flat_buffer buffer;
    asio::steady_timer pause(io);
    bool connected = false, reused = false;
    const auto interval = options.rate_per_connection > 0
                              ? std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(1.0 / options.rate_per_connection))
                              : Clock::duration::zero();
    auto next_send = Clock::now();
    for (std::uint64_t n = 0; !stopping.load(std::memory_order_relaxed); ++n) {
      if (interval.count() > 0) {
        pause.expires_at(next_send);
        co_await pause.async_wait(use_tuple);
        next_send += interval;
      }
      auto request = make_request(n);
      const bool idempotent = request.method() == http::verb::get;
      for (bool retried = false;;) {
        if (!connected) {
          stream.expires_after(options.request_timeout);
          auto [ec] = co_await stream.async_connect(endpoint, use_tuple);
          if (ec) {
            count_error(ec, "connect", false);
            stream.close();
            pause.expires_after(std::chrono::milliseconds(10));  // no spinning on a dead port
            co_await pause.async_wait(use_tuple);
            break;
          }
          connects.fetch_add(1, std::memory_order_relaxed);
          connected = true;
          reused = false;
          buffer.clear();
        }
        const auto start = Clock::now();
        stream.expires_after(options.request_timeout);
        http::response_parser<http::string_body> parser;
        parser.body_limit(1 << 20);
        auto [write_ec, written] = co_await http::async_write(stream, request, use_tuple);
        boost::system::error_code ec = write_ec;
        if (!ec) {
          auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, use_tuple);
          ec = read_ec;
        }
        if (!ec) {
          const auto& response = parser.get();
          latencies_us.push_back(static_cast<std::uint32_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count()));
          count_status(response.result_int());
          if (response.body().size() <= kMaxCountedBody) ++bodies[trimmed(response.body())];
          reused = true;
          if (!response.keep_alive()) {
            stream.close();
            connected = false;
          }
          break;
        }
        const bool nothing_received = !parser.got_some() && buffer.size() == 0;
        stream.close();
        connected = false;
        if (reused && nothing_received && idempotent && !retried) {
          retries.fetch_add(1, std::memory_order_relaxed);
          retried = true;
          continue;
        }
        count_error(ec, write_ec ? "write" : "read", !nothing_received);
        break;
      }
    }
  }
};

LoadClient::LoadClient(LoadOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

LoadClient::~LoadClient() {
  if (impl_->thread.joinable()) stop();
}

void LoadClient::start() {
  tcp::endpoint endpoint{asio::ip::make_address(impl_->options.host), impl_->options.port};
  for (unsigned i = 0; i < impl_->options.connections; ++i)
    asio::co_spawn(impl_->io, impl_->run_connection(endpoint), asio::detached);
  impl_->started = Clock::now();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

LoadResult LoadClient::snapshot() const {
  const Impl& i = *impl_;
  LoadResult r;
  auto get = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  r.requests = get(i.requests);
  r.status_2xx = get(i.s2);
  r.status_3xx = get(i.s3);
  r.status_4xx = get(i.s4);
  r.status_5xx = get(i.s5);
  r.connect_errors = get(i.connect_errors);
  r.reset_errors = get(i.reset_errors);
  r.eof_errors = get(i.eof_errors);
  r.timeouts = get(i.timeouts);
  r.other_errors = get(i.other_errors);
  r.errors = r.connect_errors + r.reset_errors + r.eof_errors + r.timeouts + r.other_errors;
  r.retries = get(i.retries);
  r.connects = get(i.connects);
  r.seconds = std::chrono::duration<double>(Clock::now() - i.started).count();
  return r;
}

bool LoadClient::wait_for_requests(std::uint64_t n, std::chrono::milliseconds timeout) {
  const auto target = snapshot().requests + n;
  const auto deadline = Clock::now() + timeout;
  while (snapshot().requests < target) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

LoadResult LoadClient::stop() {
  impl_->stopping = true;
  if (impl_->thread.joinable()) impl_->thread.join();
  LoadResult r = snapshot();
  auto& lat = impl_->latencies_us;
  if (!lat.empty()) {
    std::sort(lat.begin(), lat.end());
    auto at = [&](double q) { return std::chrono::microseconds(lat[static_cast<std::size_t>(q * (lat.size() - 1))]); };
    r.p50 = at(0.50);
    r.p99 = at(0.99);
    r.max = std::chrono::microseconds(lat.back());
  }
  r.bodies = impl_->bodies;
  r.error_samples = impl_->error_samples;
  return r;
}

std::string LoadResult::summary() const {
  std::ostringstream out;
  out << requests << " requests in " << seconds << " s (" << status_2xx << " 2xx, " << non_2xx()
      << " non-2xx), " << errors << " errors (connect " << connect_errors << ", reset " << reset_errors
      << ", eof " << eof_errors << ", timeout " << timeouts << ", other " << other_errors << "), "
      << retries << " retries on reused connections, " << connects << " connects, p50 " << p50.count()
      << " us, p99 " << p99.count() << " us, max " << max.count() << " us";
  for (const auto& sample : error_samples) out << "\n  error: " << sample;
  return out.str();
}

}  // namespace switchyard::test
