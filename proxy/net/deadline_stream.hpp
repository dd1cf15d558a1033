#pragma once
// DeadlineStream: a TCP socket with one deadline that covers every operation on it, the way
// beast::tcp_stream's expires_after does, without arming a timer for each operation.
//
// Why: tcp_stream starts a timer wait with every read, write and connect and cancels it when the
// operation completes: two timer-queue updates and one more handler through the scheduler per
// I/O, on every request. Here the deadline is a stored time point; one timer per stream is armed
// lazily and only moves when the deadline becomes *earlier* than what it waits for. Deadlines
// move later on every request (idle, response), so the timer fires at the old deadline, sees a
// later one and waits again: about one wake-up per timeout period, not two timer operations per
// read. An operation pending when the deadline passes fails with beast::error::timeout and the
// socket is closed (as with tcp_stream); a deadline that passes while nothing is pending makes
// the next operation fail with timeout, unless a new deadline is set first.
//
// Worker-local (one thread). Satisfies AsyncReadStream/AsyncWriteStream, so Beast's HTTP
// algorithms and asio::ssl::stream run over it. Included only by proxy/net .cpp files.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <utility>

namespace switchyard::proxy::net {

class DeadlineStream {
 public:
  using executor_type = boost::asio::any_io_executor;
  using Clock = std::chrono::steady_clock;

  explicit DeadlineStream(executor_type executor);
  explicit DeadlineStream(boost::asio::ip::tcp::socket socket);
  ~DeadlineStream();
  DeadlineStream(const DeadlineStream&) = delete;
  DeadlineStream& operator=(const DeadlineStream&) = delete;

  executor_type get_executor() { return state_->socket.get_executor(); }
  boost::asio::ip::tcp::socket& socket() { return state_->socket; }
  // asio::ssl::stream wants these; I/O through them bypasses the deadline.
  using lowest_layer_type = boost::asio::ip::tcp::socket::lowest_layer_type;
  lowest_layer_type& lowest_layer() { return state_->socket.lowest_layer(); }
  const lowest_layer_type& lowest_layer() const { return state_->socket.lowest_layer(); }

  void expires_after(Clock::duration timeout) { expires_at(Clock::now() + timeout); }
  void expires_at(Clock::time_point deadline) {
    State& s = *state_;
    s.deadline = deadline;
    s.expired = false;
    if (s.pending > 0 && deadline < s.armed_for) arm(state_);
  }
  void expires_never() { expires_at(Clock::time_point::max()); }

  // Cancels pending operations (they complete with operation_aborted); the socket stays open.
  void cancel();
  void close();

  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBufferSequence& b) {
          if (!begin_operation()) return fail_now(std::move(handler), std::size_t{0});
          state_->socket.async_read_some(b, Completion<decltype(handler)>{std::move(handler), state_});
        },
        token, buffers);
  }

  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBufferSequence& b) {
          if (!begin_operation()) return fail_now(std::move(handler), std::size_t{0});
          state_->socket.async_write_some(b, Completion<decltype(handler)>{std::move(handler), state_});
        },
        token, buffers);
  }

  template <class Token>
  auto async_connect(const boost::asio::ip::tcp::endpoint& endpoint, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code)>(
        [this](auto handler, const boost::asio::ip::tcp::endpoint& e) {
          if (!begin_operation()) return fail_now(std::move(handler));
          state_->socket.async_connect(e, Completion<decltype(handler)>{std::move(handler), state_});
        },
        token, endpoint);
  }

  // The state outlives the stream while the timer or an operation still refers to it.
  struct State {
    explicit State(boost::asio::ip::tcp::socket s);

    boost::asio::ip::tcp::socket socket;
    boost::asio::steady_timer timer;
    Clock::time_point deadline = Clock::time_point::max();
    Clock::time_point armed_for = Clock::time_point::max();  // what the timer waits for; max: idle
    std::uint64_t generation = 0;  // identifies the timer's current wait
    int pending = 0;               // operations in flight
    bool expired = false;          // the deadline passed with nothing pending
    bool timed_out = false;        // the deadline closed the socket under pending operations
  };

  // Completes an operation, turning the abort that the deadline caused into timeout.
  template <class Handler>
  struct Completion {
    Handler handler;
    std::shared_ptr<State> state;

    template <class... Args>
    void operator()(boost::system::error_code ec, Args... args) {
      --state->pending;
      if (state->timed_out && ec) ec = boost::beast::error::timeout;
      std::move(handler)(ec, args...);
    }
  };

 private:
  // False when the deadline has already passed: the operation must fail with timeout.
  bool begin_operation() {
    State& s = *state_;
    if (s.expired || s.timed_out) [[unlikely]] {
      s.expired = false;
      s.timed_out = true;
      boost::system::error_code ignored;
      s.socket.close(ignored);
      return false;
    }
    ++s.pending;
    if (s.deadline < s.armed_for) [[unlikely]] arm(state_);
    return true;
  }

  template <class Handler, class... Args>
  void fail_now(Handler handler, Args... args) {
    auto executor = state_->socket.get_executor();
    boost::asio::post(executor, boost::beast::bind_front_handler(std::move(handler),
                                                                 boost::system::error_code(boost::beast::error::timeout),
                                                                 args...));
  }

  static void arm(const std::shared_ptr<State>& state);
  static void on_timer(const std::shared_ptr<State>& state, std::uint64_t generation, boost::system::error_code ec);

  std::shared_ptr<State> state_;
};

}  // namespace switchyard::proxy::net

// The completion wrapper is invisible to Asio: the operation runs on the handler's executor,
// allocator and cancellation slot, as it would with the bare handler.
template <template <typename, typename> class Associator, typename Handler, typename DefaultCandidate>
struct boost::asio::associator<Associator, switchyard::proxy::net::DeadlineStream::Completion<Handler>,
                               DefaultCandidate> : Associator<Handler, DefaultCandidate> {
  static typename Associator<Handler, DefaultCandidate>::type get(
      const switchyard::proxy::net::DeadlineStream::Completion<Handler>& h) noexcept {
    return Associator<Handler, DefaultCandidate>::get(h.handler);
  }
  static auto get(const switchyard::proxy::net::DeadlineStream::Completion<Handler>& h,
                  const DefaultCandidate& c) noexcept -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c)) {
    return Associator<Handler, DefaultCandidate>::get(h.handler, c);
  }
};
