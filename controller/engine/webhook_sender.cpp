#include "controller/engine/webhook_sender.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "controller/engine/http_exchange.hpp"

namespace switchyard::controller::engine {
namespace {

constexpr std::uint32_t kBackoffCapMs = 30'000;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool worth_retrying(const HttpExchangeResult& result) {
  return result.status == 0 || result.status == 429 || result.status >= 500;
}

}  // namespace

WebhookSender::WebhookSender(config::WebhookConfig config) : config_(std::move(config)) {
  stats_.name = config_.name;
  stats_.url = config_.url;
  thread_ = std::thread([this] { run(); });
}

WebhookSender::~WebhookSender() { stop(); }

void WebhookSender::enqueue(std::string payload) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (queue_.size() >= std::max<std::uint32_t>(1, config_.queue_limit)) {
      queue_.pop_front();
      ++stats_.dropped;
      // Logged at the first drop and every 100th: a flood must not flood the log too.
      if (stats_.dropped % 100 == 1) {
        spdlog::warn("webhook {}: queue full ({} events): dropped the oldest ({} so far)", config_.name,
                     config_.queue_limit, stats_.dropped);
      }
    }
    queue_.push_back(std::move(payload));
    stats_.queued = queue_.size();
  }
  wake_.notify_one();
}

WebhookStats WebhookSender::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void WebhookSender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookSender::run() {
  while (true) {
    std::string payload;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        stats_.dropped += queue_.size();
        if (!queue_.empty()) spdlog::warn("webhook {}: {} events not sent at shutdown", config_.name, queue_.size());
        queue_.clear();
        stats_.queued = 0;
        return;
      }
      // One consumer: taking the front and sending it before the next keeps the order.
      payload = std::move(queue_.front());
      queue_.pop_front();
    }
    std::uint32_t delay = config_.backoff_ms;
    for (std::uint32_t tried = 0;; ++tried) {
      if (attempt(payload, tried >= config_.retries)) break;
      if (!wait_backoff(delay)) {
        std::lock_guard lock(mutex_);
        ++stats_.dropped;  // the one in flight; the next turn drops the rest
        break;
      }
      delay = std::min(kBackoffCapMs, delay * 2);
      std::lock_guard lock(mutex_);
      ++stats_.retries;
    }
    std::lock_guard lock(mutex_);
    stats_.queued = queue_.size();
  }
}

bool WebhookSender::attempt(const std::string& payload, bool last_attempt) {
  HttpExchangeRequest request;
  request.method = "POST";
  request.url = config_.url;
  request.headers = config_.headers;
  request.body = payload;
  request.timeout = std::chrono::milliseconds(config_.timeout_ms);
  const auto result = http_exchange(request);
  std::lock_guard lock(mutex_);
  if (result.status >= 200 && result.status < 300) {
    ++stats_.sent;
    stats_.last_sent_at = wall_ms();
    return true;
  }
  stats_.last_error = result.status ? "status " + std::to_string(result.status) : result.error;
  if (worth_retrying(result) && !last_attempt) return false;
  ++stats_.failed;
  spdlog::warn("webhook {}: gave up on an event: {}", config_.name, stats_.last_error);
  return true;
}

bool WebhookSender::wait_backoff(std::uint32_t delay_ms) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, std::chrono::milliseconds(delay_ms), [this] { return stopping_; });
  return !stopping_;
}

}  // namespace switchyard::controller::engine
