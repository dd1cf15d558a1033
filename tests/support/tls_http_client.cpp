#include "tests/support/tls_http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace switchyard::test {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace http = boost::beast::http;

struct TlsHttpConnection::Impl {
  asio::io_context io;
  ssl::context context{ssl::context::tls_client};
  std::unique_ptr<ssl::stream<asio::ip::tcp::socket>> stream;
  boost::beast::flat_buffer buffer;
};

TlsHttpConnection::TlsHttpConnection(std::uint16_t port, const std::string& server_name, const std::string& ca_file)
    : impl_(std::make_unique<Impl>()), server_name_(server_name) {
  boost::system::error_code ec;
  impl_->context.load_verify_file(ca_file, ec);
  if (ec) {
    error_ = "load_verify_file: " + ec.message();
    return;
  }
  impl_->context.set_verify_mode(ssl::verify_peer);
  impl_->stream = std::make_unique<ssl::stream<asio::ip::tcp::socket>>(impl_->io, impl_->context);
  SSL_set_tlsext_host_name(impl_->stream->native_handle(), server_name.c_str());
  impl_->stream->set_verify_callback(ssl::host_name_verification(server_name));
  impl_->stream->lowest_layer().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (!ec) impl_->stream->handshake(ssl::stream_base::client, ec);
  if (ec) {
    error_ = "connect/handshake: " + ec.message();
    return;
  }
  if (X509* peer = SSL_get1_peer_certificate(impl_->stream->native_handle())) {
    char line[512];
    X509_NAME_oneline(X509_get_subject_name(peer), line, sizeof line);
    subject_ = line;
    X509_free(peer);
  }
  ok_ = true;
}

TlsHttpConnection::~TlsHttpConnection() = default;

int TlsHttpConnection::get(const std::string& target, std::string* body) {
  if (!ok_) return 0;
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, server_name_);
  boost::system::error_code ec;
  http::write(*impl_->stream, request, ec);
  if (ec) return 0;
  http::response<http::string_body> response;
  http::read(*impl_->stream, impl_->buffer, response, ec);
  if (ec) return 0;
  if (body) *body = response.body();
  return response.result_int();
}

}  // namespace switchyard::test
