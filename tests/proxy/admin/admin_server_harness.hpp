#pragma once
// AdminServerHarness: a ControlState and an AdminServer on a real control io_context thread,
// listening on 127.0.0.1:0, for tests that talk to the admin API over HTTP. Test thread owns it;
// state_ is touched only on the control thread (use on_control_thread()).

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "admin_test_config.hpp"
#include "proxy/admin/admin_server.hpp"
#include "proxy/admin/control_state.hpp"

namespace switchyard::proxy::admin::test_support {

class AdminServerHarness : public ::testing::Test {
 protected:
  void start(config::AdminConfig cfg = {}) {
    cfg.address = {"127.0.0.1", 0};
    server_.emplace(ioc_, state_, cfg);
    address_ = server_->start();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  void TearDown() override {
    if (!thread_.joinable()) return;
    std::promise<void> stopped;
    boost::asio::post(ioc_, [&] {
      server_->stop();
      stopped.set_value();
    });
    EXPECT_EQ(stopped.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
    work_.reset();
    thread_.join();
  }

  // Runs `fn` on the control thread and returns its result (bounded wait).
  template <class Fn>
  auto on_control_thread(Fn fn) -> decltype(fn()) {
    std::promise<decltype(fn())> done;
    boost::asio::post(ioc_, [&] {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        done.set_value();
      } else {
        done.set_value(fn());
      }
    });
    auto future = done.get_future();
    if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
      ADD_FAILURE() << "control thread did not run the call within 5 s";
      std::abort();  // the lambda still references this frame: cannot continue safely
    }
    return future.get();
  }

  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      ioc_.get_executor()};
  routing::RouteTablePublisher publisher_{initial_table(make_test_config())};
  ControlState state_{make_test_config(), publisher_};
  std::optional<AdminServer> server_;
  std::string address_;
  std::thread thread_;
};

}  // namespace switchyard::proxy::admin::test_support
