#include "proxy/net/deadline_stream.hpp"

namespace switchyard::proxy::net {
namespace asio = boost::asio;

DeadlineStream::State::State(asio::ip::tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

DeadlineStream::DeadlineStream(executor_type executor)
    : state_(std::make_shared<State>(asio::ip::tcp::socket(std::move(executor)))) {}

DeadlineStream::DeadlineStream(asio::ip::tcp::socket socket) : state_(std::make_shared<State>(std::move(socket))) {}

DeadlineStream::~DeadlineStream() {
  boost::system::error_code ignored;
  state_->socket.close(ignored);
  state_->timer.cancel();
}

void DeadlineStream::cancel() {
  boost::system::error_code ignored;
  state_->socket.cancel(ignored);
}

void DeadlineStream::close() {
  boost::system::error_code ignored;
  state_->socket.close(ignored);
}

void DeadlineStream::arm(const std::shared_ptr<State>& state) {
  State& s = *state;
  s.armed_for = s.deadline;
  const std::uint64_t generation = ++s.generation;
  s.timer.expires_at(s.deadline);  // cancels the earlier wait, whose handler then sees a stale generation
  s.timer.async_wait([state, generation](boost::system::error_code ec) { on_timer(state, generation, ec); });
}

void DeadlineStream::on_timer(const std::shared_ptr<State>& state, std::uint64_t generation,
                              boost::system::error_code ec) {
  State& s = *state;
  if (ec == asio::error::operation_aborted || generation != s.generation) return;
  s.armed_for = Clock::time_point::max();
  if (s.deadline == Clock::time_point::max()) return;
  if (Clock::now() < s.deadline) {  // the deadline moved later meanwhile: wait for it
    if (s.pending > 0) arm(state);  // else the next operation arms it
    return;
  }
  if (s.pending == 0) {
    s.expired = true;  // the next operation fails, unless a new deadline comes first
    return;
  }
  s.timed_out = true;
  boost::system::error_code ignored;
  s.socket.close(ignored);  // pending operations complete with operation_aborted -> timeout
}

}  // namespace switchyard::proxy::net
