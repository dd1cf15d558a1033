#pragma once
// FakeController: a stand-in for switchyard-controller in the CLI's end-to-end tests — a raw
// socket HTTP/1.1 server on 127.0.0.1 (ephemeral port) that records every request and answers
// from a handler the test gives it, one request per connection (the CLI sends Connection: close).
// Runs one server thread; requests() and the handler's replies are guarded by a mutex, so the
// test thread may read them at any time. Every socket wait is bounded by poll timeouts.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::test {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct FakeReply {
  int status = 200;
  std::string body = "{}";
};

class FakeController {
 public:
  using Handler = std::function<FakeReply(const RecordedRequest&)>;

  explicit FakeController(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::listen(listener_, 16) == 0 &&
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeController() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }
  FakeController(const FakeController&) = delete;
  FakeController& operator=(const FakeController&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd ready{listener_, POLLIN, 0};
      if (::poll(&ready, 1, 50) != 1) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      handle(fd);
      ::close(fd);
    }
  }

  // Reads until `done(buffer)` or 5 s pass or the peer closes.
  static bool read_until(int fd, std::string& buffer, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done()) {
      pollfd ready{fd, POLLIN, 0};
      if (std::chrono::steady_clock::now() >= deadline || ::poll(&ready, 1, 100) < 0) return false;
      if (ready.revents == 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  }

  void handle(int fd) {
    std::string buffer;
    if (!read_until(fd, buffer, [&] { return buffer.find("\r\n\r\n") != std::string::npos; }))
      return;
    const std::size_t head_end = buffer.find("\r\n\r\n");
    RecordedRequest request = parse_head(buffer.substr(0, head_end));
    const std::size_t length =
        request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
    if (!read_until(fd, buffer, [&] { return buffer.size() >= head_end + 4 + length; })) return;
    request.body = buffer.substr(head_end + 4, length);
    FakeReply reply;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      reply = handler_(request);
    }
    const std::string answer = "HTTP/1.1 " + std::to_string(reply.status) +
                               " Fake\r\nContent-Type: application/json\r\nContent-Length: " +
                               std::to_string(reply.body.size()) +
                               "\r\nConnection: close\r\n\r\n" + reply.body;
    std::size_t sent = 0;
    while (sent < answer.size()) {
      const ssize_t n = ::write(fd, answer.data() + sent, answer.size() - sent);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  static RecordedRequest parse_head(const std::string& head) {
    RecordedRequest request;
    std::size_t line_end = head.find("\r\n");
    const std::string first = head.substr(0, line_end);
    const std::size_t space1 = first.find(' ');
    const std::size_t space2 = first.find(' ', space1 + 1);
    request.method = first.substr(0, space1);
    request.target = first.substr(space1 + 1, space2 - space1 - 1);
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end - start);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const std::size_t value = line.find_first_not_of(' ', colon + 1);
      request.headers[name] = value == std::string::npos ? "" : line.substr(value);
    }
    return request;
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace switchyard::test
