// DeadlineStream over real loopback sockets: a deadline cuts a pending operation with timeout and
// closes the socket, a deadline that moved later does not, a passed deadline fails the next
// operation unless a new one is set first, and TLS-style layering sees the same errors.

#include "proxy/net/deadline_stream.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <optional>
#include <utility>

namespace switchyard::proxy::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// A connected pair on 127.0.0.1: `stream` (under test) and the plain `peer`.
struct Pair {
  asio::io_context io;
  std::optional<DeadlineStream> stream;
  tcp::socket peer{io};

  Pair() {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    tcp::socket client(io);
    client.connect(acceptor.local_endpoint());
    acceptor.accept(peer);
    stream.emplace(std::move(client));
  }

  // Runs `body` to completion, bounded so that a broken deadline fails instead of hanging.
  template <class Body>
  void run(Body body) {
    bool finished = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await body();
          finished = true;
          io.stop();  // an armed deadline timer may still wait; the test is over
        },
        asio::detached);
    io.run_for(5s);
    ASSERT_TRUE(finished) << "the coroutine did not finish within 5 s";
  }
};

TEST(DeadlineStream, PendingReadFailsWithTimeoutAndTheSocketIsClosed) {
  Pair pair;
  pair.run([&]() -> asio::awaitable<void> {
    std::array<char, 16> buffer{};
    const auto start = Clock::now();
    pair.stream->expires_after(50ms);
    auto [ec, n] = co_await pair.stream->async_read_some(asio::buffer(buffer), nothrow);
    EXPECT_EQ(ec, boost::beast::error::timeout);
    EXPECT_EQ(n, 0u);
    EXPECT_GE(Clock::now() - start, 50ms);
    EXPECT_FALSE(pair.stream->socket().is_open());
  });
  // The peer sees the close.
  std::array<char, 1> byte{};
  boost::system::error_code ec;
  pair.peer.read_some(asio::buffer(byte), ec);
  EXPECT_EQ(ec, asio::error::eof);
}

TEST(DeadlineStream, ADeadlineMovedLaterDoesNotCutTheRead) {
  Pair pair;
  pair.run([&]() -> asio::awaitable<void> {
    std::array<char, 16> buffer{};
    // The timer is armed for 30 ms by the first read, which data ends at once.
    pair.stream->expires_after(30ms);
    co_await asio::async_write(pair.peer, asio::buffer("a", 1), nothrow);
    auto [ec1, n1] = co_await pair.stream->async_read_some(asio::buffer(buffer), nothrow);
    EXPECT_FALSE(ec1);
    EXPECT_EQ(n1, 1u);
    // Now the deadline is 300 ms away; the peer answers after 100 ms, past the old 30 ms.
    pair.stream->expires_after(300ms);
    asio::steady_timer later(pair.io, 100ms);
    later.async_wait([&](boost::system::error_code) { asio::write(pair.peer, asio::buffer("b", 1)); });
    auto [ec2, n2] = co_await pair.stream->async_read_some(asio::buffer(buffer), nothrow);
    EXPECT_FALSE(ec2) << ec2.message();
    EXPECT_EQ(n2, 1u);
    EXPECT_EQ(buffer[0], 'b');
  });
}

TEST(DeadlineStream, ADeadlineMovedEarlierDuringAReadCutsIt) {
  Pair pair;
  pair.run([&]() -> asio::awaitable<void> {
    std::array<char, 16> buffer{};
    pair.stream->expires_after(10s);
    asio::steady_timer soon(pair.io, 20ms);
    soon.async_wait([&](boost::system::error_code) { pair.stream->expires_after(30ms); });
    const auto start = Clock::now();
    auto [ec, n] = co_await pair.stream->async_read_some(asio::buffer(buffer), nothrow);
    EXPECT_EQ(ec, boost::beast::error::timeout);
    EXPECT_LT(Clock::now() - start, 2s);
  });
}

// Arms the timer with a first write, lets the 20 ms deadline pass with nothing pending, then
// (with a new 1 s deadline first when `renew`) writes again; returns what that second write got.
std::pair<boost::system::error_code, std::size_t> write_after_a_passed_deadline(Pair& pair, bool renew) {
  std::pair<boost::system::error_code, std::size_t> second;
  pair.run([&]() -> asio::awaitable<void> {
    pair.stream->expires_after(20ms);
    auto [first, n1] = co_await pair.stream->async_write_some(asio::buffer("x", 1), nothrow);
    EXPECT_FALSE(first);
    asio::steady_timer pause(pair.io, 80ms);
    co_await pause.async_wait(nothrow);
    if (renew) pair.stream->expires_after(1s);
    auto [ec, n2] = co_await pair.stream->async_write_some(asio::buffer("y", 1), nothrow);
    second = {ec, n2};
  });
  return second;
}

TEST(DeadlineStream, APassedDeadlineFailsTheNextOperationUnlessANewOneIsSet) {
  Pair expired;
  EXPECT_EQ(write_after_a_passed_deadline(expired, false).first, boost::beast::error::timeout);
  EXPECT_FALSE(expired.stream->socket().is_open());

  Pair renewed;
  const auto [ec, n] = write_after_a_passed_deadline(renewed, true);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(n, 1u);
}

TEST(DeadlineStream, NoDeadlineNeverTimesOutAndCancelIsNotATimeout) {
  Pair pair;
  pair.run([&]() -> asio::awaitable<void> {
    std::array<char, 16> buffer{};
    pair.stream->expires_after(20ms);
    pair.stream->expires_never();
    asio::steady_timer later(pair.io, 100ms);
    later.async_wait([&](boost::system::error_code) { pair.stream->cancel(); });
    auto [ec, n] = co_await pair.stream->async_read_some(asio::buffer(buffer), nothrow);
    EXPECT_EQ(ec, asio::error::operation_aborted);
    EXPECT_TRUE(pair.stream->socket().is_open());
  });
}

TEST(DeadlineStream, ConnectToASilentAddressTimesOut) {
  asio::io_context io;
  // A listener whose backlog is full answers no more SYNs: connects to it hang.
  tcp::acceptor full(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  full.listen(0);
  std::vector<tcp::socket> fillers;
  for (int i = 0; i < 8; ++i) fillers.emplace_back(io);
  bool finished = false;
  boost::system::error_code result;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        // Fill the backlog: the connects beyond it stay pending, as ours will.
        for (auto& filler : fillers) filler.async_connect(full.local_endpoint(), [](boost::system::error_code) {});
        asio::steady_timer settle(io, 100ms);
        co_await settle.async_wait(nothrow);
        DeadlineStream stream(io.get_executor());
        const auto start = Clock::now();
        stream.expires_after(200ms);
        auto [ec] = co_await stream.async_connect(full.local_endpoint(), nothrow);
        result = ec;
        EXPECT_LT(Clock::now() - start, 900ms) << "cut by the deadline, not by a SYN retry";
        finished = true;
        io.stop();
      },
      asio::detached);
  io.run_for(10s);
  ASSERT_TRUE(finished);
  EXPECT_EQ(result, boost::beast::error::timeout);
}

TEST(DeadlineStream, DestroyedWithAnArmedTimerIsSafe) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket client(io);
  client.connect(acceptor.local_endpoint());
  auto peer = acceptor.accept();
  std::optional<DeadlineStream> stream(std::move(client));
  std::array<char, 4> buffer{};
  boost::system::error_code seen;
  stream->expires_after(50ms);
  stream->async_read_some(asio::buffer(buffer), [&](boost::system::error_code ec, std::size_t) { seen = ec; });
  stream.reset();  // closes the socket; the pending read and the timer wait finish later
  io.run_for(1s);
  EXPECT_EQ(seen, asio::error::operation_aborted);
}

}  // namespace
}  // namespace switchyard::proxy::net
