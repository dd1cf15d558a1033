#pragma once
// WebhookSender: delivers one webhook's events (docs/notifications.md) on its OWN thread, in the
// order they were enqueued: each event is POSTed until it is accepted (2xx), refused for good
// (4xx other than 429) or out of retries (connect failure, timeout, 5xx and 429 are retried after
// backoff_ms, doubling, capped at 30 s). enqueue() never blocks on the network: the queue is
// bounded and drops its oldest event (counted, logged) when full, so a slow or dead receiver
// never delays a rollout. stop() is bounded by one request's timeout.
//
// Thread: enqueue() and stats() from any thread (the control thread in practice); the rest
// belongs to the sender thread.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "config/controller_config.hpp"

namespace switchyard::controller::engine {

struct WebhookStats {
  std::string name;
  std::string url;
  std::uint64_t sent = 0;      // accepted by the receiver
  std::uint64_t failed = 0;    // given up on (refused, or out of retries)
  std::uint64_t dropped = 0;   // pushed out of a full queue, or still queued at shutdown
  std::uint64_t retries = 0;   // attempts after the first
  std::uint64_t queued = 0;    // waiting now
  std::string last_error;      // of the latest failed attempt ("" if none yet)
  std::int64_t last_sent_at = 0;  // ms since the epoch, 0 = never
};

class WebhookSender {
 public:
  explicit WebhookSender(config::WebhookConfig config);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  const config::WebhookConfig& config() const { return config_; }
  void enqueue(std::string payload);
  WebhookStats stats() const;
  void stop();

 private:
  void run();
  // True once the receiver took it or refused it for good; false: try again later.
  bool attempt(const std::string& payload, bool last_attempt);
  bool wait_backoff(std::uint32_t delay_ms);  // false: stopping

  const config::WebhookConfig config_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  WebhookStats stats_;
  std::thread thread_;
};

}  // namespace switchyard::controller::engine
