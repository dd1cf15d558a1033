#include "proxy/net/tls_server_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace switchyard::proxy::net {
namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2: forward secrecy and AEAD only. TLS 1.3 keeps OpenSSL's defaults (all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr unsigned char kSessionIdContext[] = "switchyard";
constexpr long kSessionCacheSize = 20000;

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// Empty when `path` can be opened for reading, else why not.
std::string unreadable(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return "cannot read '" + path + "': " + std::strerror(errno);
  std::fclose(file);
  return {};
}

// http/1.1 when the client offers it; a client that offers only other protocols (h2 alone) is
// refused with the no_application_protocol alert rather than spoken to in the wrong protocol.
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in, unsigned int in_len,
                void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_len, kHttp11, sizeof kHttp11, in, in_len) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

void apply_settings(SSL_CTX* ctx) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_cipher_list(ctx, kTls12Ciphers);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
  SSL_CTX_sess_set_cache_size(ctx, kSessionCacheSize);
  // Idle keep-alive connections then hold no 34 KB read/write buffers.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
}

// The DNS names of the certificate's subjectAltName, or its CN when it has none.
std::vector<std::string> names_of(X509* certificate) {
  std::vector<std::string> names;
  auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (sans) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
      if (name->type != GEN_DNS) continue;
      const auto* data = reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName));
      names.push_back(lower(std::string_view(data, static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName)))));
    }
    GENERAL_NAMES_free(sans);
  }
  if (!names.empty()) return names;
  X509_NAME* subject = X509_get_subject_name(certificate);
  int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index >= 0) {
    ASN1_STRING* cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
    const auto* data = reinterpret_cast<const char*>(ASN1_STRING_get0_data(cn));
    names.push_back(lower(std::string_view(data, static_cast<std::size_t>(ASN1_STRING_length(cn)))));
  }
  return names;
}

}  // namespace

bool tls_name_matches(std::string_view pattern, std::string_view name) {
  auto equal = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  };
  if (pattern.starts_with("*.")) {
    auto dot = name.find('.');
    return dot != std::string_view::npos && dot > 0 && equal(pattern.substr(1), name.substr(dot));
  }
  return equal(pattern, name);
}

TlsServerContext::~TlsServerContext() = default;

std::shared_ptr<const TlsServerContext> TlsServerContext::build(const config::TlsConfig& tls,
                                                                const std::string& key_path, std::string& error) {
  std::vector<std::pair<config::TlsCertificate, std::string>> certificates;  // with their key paths
  if (tls.certificates.empty()) {
    certificates.emplace_back(config::TlsCertificate{tls.cert, tls.key}, key_path);
  } else {
    for (std::size_t i = 0; i < tls.certificates.size(); ++i)
      certificates.emplace_back(tls.certificates[i], key_path + ".certificates[" + std::to_string(i) + "]");
  }
  std::shared_ptr<TlsServerContext> result(new TlsServerContext());
  ERR_clear_error();
  for (const auto& [certificate, path] : certificates) {
    auto fail = [&](const char* key, const std::string& what) {
      error = path + "." + key + ": " + what;
      return nullptr;
    };
    if (auto why = unreadable(certificate.cert); !why.empty()) return fail("cert", why);
    if (auto why = unreadable(certificate.key); !why.empty()) return fail("key", why);
    Entry entry{std::make_unique<ssl::context>(ssl::context::tls_server), {}};
    SSL_CTX* ctx = entry.context->native_handle();
    apply_settings(ctx);
    if (SSL_CTX_use_certificate_chain_file(ctx, certificate.cert.c_str()) != 1)
      return fail("cert", "not a usable PEM certificate: " + openssl_error());
    if (SSL_CTX_use_PrivateKey_file(ctx, certificate.key.c_str(), SSL_FILETYPE_PEM) != 1) {
      // OpenSSL checks the pair while loading the key; name a mismatch as such.
      if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
        ERR_clear_error();
        return fail("key", "does not match the certificate '" + certificate.cert + "'");
      }
      return fail("key", "not a usable PEM private key: " + openssl_error());
    }
    if (SSL_CTX_check_private_key(ctx) != 1)
      return fail("key", "does not match the certificate '" + certificate.cert + "'");
    entry.names = names_of(SSL_CTX_get0_certificate(ctx));
    SSL_CTX_set_tlsext_servername_callback(ctx, +[](SSL* ssl, int* alert, void* self) {
      return TlsServerContext::on_server_name(ssl, alert, self);
    });
    result->entries_.push_back(std::move(entry));
  }
  // Only now is entries_ final: the callback argument is the object itself.
  for (auto& entry : result->entries_) SSL_CTX_set_tlsext_servername_arg(entry.context->native_handle(), result.get());
  return result;
}

ssl::context& TlsServerContext::default_context() const { return *entries_.front().context; }

const TlsServerContext::Entry& TlsServerContext::select(std::string_view server_name) const {
  for (const auto& entry : entries_) {
    for (const auto& name : entry.names)
      if (tls_name_matches(name, server_name)) return entry;
  }
  return entries_.front();
}

int TlsServerContext::on_server_name(void* ssl_handle, int*, void* self) {
  auto* ssl = static_cast<SSL*>(ssl_handle);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (!name || !self) return SSL_TLSEXT_ERR_NOACK;
  SSL_CTX* wanted = static_cast<const TlsServerContext*>(self)->select(name).context->native_handle();
  if (wanted != SSL_get_SSL_CTX(ssl)) SSL_set_SSL_CTX(ssl, wanted);
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace switchyard::proxy::net
