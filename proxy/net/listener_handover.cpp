#include "proxy/net/listener_handover.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <boost/asio/read.hpp>
#include <cerrno>
#include <cstring>
#include <memory>

namespace switchyard::proxy::net {
namespace asio = boost::asio;
using local = asio::local::stream_protocol;

namespace {

constexpr std::size_t kMaxFds = 253;  // SCM_MAX_FD: the kernel's limit per message
constexpr char kRelease = 'R';
constexpr const char* kMagic = "switchyard-handover 1 ";

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// The descriptors of every SCM_RIGHTS control message of `message`.
std::vector<int> received_fds(msghdr& message) {
  std::vector<int> fds;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      fds.push_back(fd);
    }
  }
  return fds;
}

unsigned long inode_of(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<unsigned long>(info.st_ino) : 0;
}

}  // namespace

HandoverClient::~HandoverClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool HandoverClient::receive(const std::string& path, std::vector<InheritedSocket>& out, std::string& error) {
  sockaddr_un address{};
  if (path.size() >= sizeof address.sun_path) {
    error = "handover socket path too long: " + path;
    return false;
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = errno_text("handover socket");
    return false;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const int why = errno;
    ::close(fd);
    if (why == ENOENT || why == ECONNREFUSED) return true;  // nobody to take over from
    errno = why;
    error = errno_text(("connect to handover socket " + path).c_str());
    return false;
  }
  timeval timeout{5, 0};  // a hung old process must not hang the new one
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  std::array<char, 128> text{};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFds)> control{};
  iovec io{text.data(), text.size() - 1};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  const ssize_t n = ::recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
  std::vector<InheritedSocket> sockets;
  for (int received : received_fds(message)) sockets.push_back({received, {}});
  auto fail = [&](std::string why) {
    close_all(sockets);
    ::close(fd);
    error = "handover from " + path + ": " + std::move(why);
    return false;
  };
  if (n <= 0) return fail(n < 0 ? errno_text("receive") : "the old process closed the connection");
  if (message.msg_flags & MSG_CTRUNC) return fail("too many descriptors");
  const std::string header(text.data(), static_cast<std::size_t>(n));
  if (!header.starts_with(kMagic) || header.back() != '\n') return fail("unexpected message");
  if (std::to_string(sockets.size()) + "\n" != header.substr(std::strlen(kMagic)))
    return fail("descriptor count mismatch");
  for (auto& socket : sockets)
    if (std::string why; !inspect_listening_socket(socket.fd, socket, why)) return fail(why);
  out.insert(out.end(), sockets.begin(), sockets.end());
  fd_ = fd;
  return true;
}

void HandoverClient::release() {
  if (fd_ < 0) return;
  if (::send(fd_, &kRelease, 1, MSG_NOSIGNAL) != 1) spdlog::warn("handover: {}", errno_text("release"));
  ::close(fd_);
  fd_ = -1;
}

HandoverServer::HandoverServer(asio::io_context& control, std::string path, std::vector<int> listening_fds,
                               std::function<void()> on_release)
    : path_(std::move(path)), fds_(std::move(listening_fds)),
      on_release_(std::move(on_release)), acceptor_(control) {}

HandoverServer::~HandoverServer() { stop(); }

bool HandoverServer::start(std::string& error) {
  if (fds_.size() > kMaxFds) {
    error = "handover: " + std::to_string(fds_.size()) + " listening sockets (workers x listeners), at most " +
            std::to_string(kMaxFds);
    return false;
  }
  ::unlink(path_.c_str());  // a stale file, or the previous process's (it no longer accepts on it)
  boost::system::error_code ec;
  acceptor_.open(local{}, ec);
  if (!ec) acceptor_.bind(local::endpoint(path_), ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "handover socket " + path_ + ": " + ec.message();
    acceptor_.close(ec);
    return false;
  }
  ::chmod(path_.c_str(), 0600);  // whoever connects gets our listening sockets
  inode_ = inode_of(path_);
  accept_next();
  return true;
}

void HandoverServer::stop() {
  if (!acceptor_.is_open()) return;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  if (inode_ != 0 && inode_of(path_) == inode_) ::unlink(path_.c_str());
}

void HandoverServer::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code ec, local::socket peer) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) serve(std::move(peer));
    accept_next();
  });
}

void HandoverServer::serve(local::socket peer) {
  const std::string header = kMagic + std::to_string(fds_.size()) + "\n";
  std::vector<char> control(CMSG_SPACE(sizeof(int) * fds_.size()));
  iovec io{const_cast<char*>(header.data()), header.size()};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  if (!fds_.empty()) {
    message.msg_control = control.data();
    message.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds_.size());
    std::memcpy(CMSG_DATA(c), fds_.data(), sizeof(int) * fds_.size());
  }
  // A fresh socket is still blocking and the message is small: one sendmsg.
  if (::sendmsg(peer.native_handle(), &message, MSG_NOSIGNAL) != static_cast<ssize_t>(header.size())) {
    spdlog::warn("handover: {}", errno_text("send listening sockets"));
    return;
  }
  spdlog::info("handover: sent {} listening sockets to a new process", fds_.size());
  auto session = std::make_shared<std::pair<local::socket, char>>(std::move(peer), '\0');
  asio::async_read(session->first, asio::buffer(&session->second, 1),
                   [this, session](boost::system::error_code ec, std::size_t) {
                     // Without the release byte the new process failed: we keep serving.
                     if (ec || session->second != kRelease || released_) {
                       if (ec && !released_) spdlog::warn("handover: new process went away without taking over");
                       return;
                     }
                     released_ = true;
                     boost::system::error_code ignored;
                     acceptor_.close(ignored);  // the new process binds the path now
                     spdlog::info("handover: the new process accepts; draining");
                     on_release_();
                   });
}

}  // namespace switchyard::proxy::net
