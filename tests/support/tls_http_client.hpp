#pragma once
// TlsHttpConnection: one blocking HTTPS keep-alive connection for tests (verifies the server
// against a CA file and sends SNI). Owned by the test thread.

#include <cstdint>
#include <memory>
#include <string>

namespace switchyard::test {

class TlsHttpConnection {
 public:
  // Connects to 127.0.0.1:port and handshakes with `server_name`; ok() tells the result.
  TlsHttpConnection(std::uint16_t port, const std::string& server_name, const std::string& ca_file);
  ~TlsHttpConnection();

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  // The subject of the certificate the server presented (one line, OpenSSL's format).
  const std::string& peer_subject() const { return subject_; }
  // GET `target` on this connection (keep-alive); returns the status (0 on failure) and the body.
  int get(const std::string& target, std::string* body = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string server_name_;
  std::string error_;
  std::string subject_;
  bool ok_ = false;
};

}  // namespace switchyard::test
