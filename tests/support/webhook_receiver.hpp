#pragma once
// WebhookReceiver: a tiny HTTP/1.1 server on 127.0.0.1 (real socket, own thread) for tests of
// webhooks and http hooks. It records every request (method, target, headers, body) and answers
// with the status `answer(n)` gives for the n-th request (0-based); a negative status means
// "hang": read the request, never answer, hold the connection until stop. Test thread owns it.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::test {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::function<int(std::size_t)> answer = [](std::size_t) { return 200; });
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/hook") const;
  std::vector<ReceivedRequest> requests() const;
  std::size_t count() const;
  // Waits (bounded) until at least `n` requests arrived.
  bool wait_for(std::size_t n, std::chrono::milliseconds limit) const;

 private:
  void serve();
  void handle(int fd);

  std::function<int(std::size_t)> answer_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::vector<int> held_;  // hanging connections, closed at stop
  std::thread thread_;
};

}  // namespace switchyard::test
