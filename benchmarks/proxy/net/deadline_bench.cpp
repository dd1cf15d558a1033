// One read with a deadline, as the proxy does per request: beast::tcp_stream (a timer wait
// started and cancelled with every operation) against DeadlineStream (a stored deadline, one
// lazily armed timer). Each iteration sends one byte on a loopback connection and reads it
// through the stream under test, with a fresh 60 s deadline, on an io_context driven by hand;
// the system calls are the same for both, so the difference is the timer work.

#include <benchmark/benchmark.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>

#include "proxy/net/deadline_stream.hpp"

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Loopback {
  asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  tcp::socket sender{io};
  tcp::socket receiver{io};
  Loopback() {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    sender.connect(acceptor.local_endpoint());
    acceptor.accept(receiver);
    sender.set_option(tcp::no_delay(true));
  }
};

template <class Stream>
void read_one_byte_per_iteration(benchmark::State& state, Loopback& loop, Stream& stream) {
  char byte = 'x';
  char in = 0;
  for (auto _ : state) {
    asio::write(loop.sender, asio::buffer(&byte, 1));
    bool done = false;
    stream.expires_after(std::chrono::seconds(60));
    stream.async_read_some(asio::buffer(&in, 1), [&](boost::system::error_code ec, std::size_t) {
      if (ec) state.SkipWithError(ec.message().c_str());
      done = true;
    });
    while (!done) loop.io.run_one();
  }
}

void BM_ReadWithDeadlineBeastTcpStream(benchmark::State& state) {
  Loopback loop;
  boost::beast::tcp_stream stream(std::move(loop.receiver));
  read_one_byte_per_iteration(state, loop, stream);
}
BENCHMARK(BM_ReadWithDeadlineBeastTcpStream);

void BM_ReadWithDeadlineDeadlineStream(benchmark::State& state) {
  Loopback loop;
  switchyard::proxy::net::DeadlineStream stream(std::move(loop.receiver));
  read_one_byte_per_iteration(state, loop, stream);
}
BENCHMARK(BM_ReadWithDeadlineDeadlineStream);

}  // namespace
