#pragma once
// TlsServerContext: the TLS settings and certificates of one listener, built from its `tls:`
// configuration: one SSL_CTX per certificate, the names each serves (SAN DNS names or CN,
// wildcards allowed), the first one the default. Immutable once built and thread-safe: every
// worker creates its sessions from it; a reload builds a new one (see TlsContextStore).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/proxy_config.hpp"

namespace boost::asio::ssl {
class context;
}

namespace switchyard::proxy::net {

class TlsServerContext {
 public:
  // Reads and checks every certificate and key of `tls`. On failure returns null and sets
  // `error` to "<key path>: <what is wrong>", `key_path` naming the `tls` map
  // (e.g. "listeners[1].tls").
  static std::shared_ptr<const TlsServerContext> build(const config::TlsConfig& tls, const std::string& key_path,
                                                       std::string& error);
  ~TlsServerContext();

  // The context new sessions start from; SNI may switch a session to another certificate's.
  boost::asio::ssl::context& default_context() const;
  // The names certificate `index` serves (for logs and tests).
  const std::vector<std::string>& names(std::size_t index) const { return entries_[index].names; }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<boost::asio::ssl::context> context;
    std::vector<std::string> names;  // lower-case; "*.example.com" matches one label
  };
  TlsServerContext() = default;
  // The certificate for an SNI name: the first whose names match, else the default.
  const Entry& select(std::string_view server_name) const;
  static int on_server_name(void* ssl, int* alert, void* self);

  std::vector<Entry> entries_;
};

// True when `name` is matched by certificate name `pattern` (exact, or "*.x" for one label).
bool tls_name_matches(std::string_view pattern, std::string_view name);

}  // namespace switchyard::proxy::net
