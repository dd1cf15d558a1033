#include "tests/support/webhook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace switchyard::test {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Reads one request (head + Content-Length body) within 5 s; false on EOF/timeout/garbage.
bool read_request(int fd, ReceivedRequest& out) {
  std::string data;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::size_t head_end = std::string::npos;
  std::size_t length = 0;
  char chunk[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      const auto head = data.substr(0, head_end);
      auto line_end = head.find("\r\n");
      const auto first = head.substr(0, line_end);
      out.method = first.substr(0, first.find(' '));
      out.target = first.substr(first.find(' ') + 1, first.rfind(' ') - first.find(' ') - 1);
      while (line_end != std::string::npos) {
        const auto next = head.find("\r\n", line_end + 2);
        const auto line = head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
          auto value = line.substr(colon + 1);
          value.erase(0, value.find_first_not_of(' '));
          out.headers[lower(line.substr(0, colon))] = value;
        }
        line_end = next;
      }
      if (auto it = out.headers.find("content-length"); it != out.headers.end()) length = std::stoul(it->second);
    }
    if (head_end != std::string::npos && data.size() >= head_end + 4 + length) {
      out.body = data.substr(head_end + 4, length);
      return true;
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const auto n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    data.append(chunk, static_cast<std::size_t>(n));
  }
  return false;
}

}  // namespace

WebhookReceiver::WebhookReceiver(std::function<int(std::size_t)> answer) : answer_(std::move(answer)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listen_fd_, 64);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (int fd : held_) ::close(fd);
  ::close(listen_fd_);
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t WebhookReceiver::count() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

bool WebhookReceiver::wait_for(std::size_t n, std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (count() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return count() >= n;
}

void WebhookReceiver::serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) handle(fd);
  }
}

// One request per connection (the controller's clients send Connection: close).
void WebhookReceiver::handle(int fd) {
  ReceivedRequest request;
  if (!read_request(fd, request)) {
    ::close(fd);
    return;
  }
  std::size_t index = 0;
  {
    std::lock_guard lock(mutex_);
    index = requests_.size();
    requests_.push_back(request);
  }
  const int status = answer_(index);
  if (status < 0) {
    held_.push_back(fd);
    return;
  }
  const std::string body = status == 204 ? "" : "received";
  const std::string response = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  [[maybe_unused]] auto written = ::write(fd, response.data(), response.size());
  ::close(fd);
}

}  // namespace switchyard::test
