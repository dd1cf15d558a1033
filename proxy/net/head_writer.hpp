#pragma once
// Writes message heads straight into a caller's buffer (the exchange's relay buffer), so that a
// head and the first body bytes leave in one write and no per-field allocation happens on the
// fast path. A head that does not fit reports !ok() and the caller takes the slow path.
// Worker-local.

#include <boost/beast/http/message.hpp>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace switchyard::proxy::net {

class FlatResponseHead;

class HeadWriter {
 public:
  HeadWriter(char* data, std::size_t capacity) : data_(data), capacity_(capacity) {}

  HeadWriter& append(std::string_view text) {
    if (!ok_ || text.size() > capacity_ - size_) {
      ok_ = false;
      return *this;
    }
    std::memcpy(data_ + size_, text.data(), text.size());
    size_ += text.size();
    return *this;
  }
  HeadWriter& append_number(unsigned value);

  bool ok() const { return ok_; }
  std::size_t size() const { return size_; }
  char* data() const { return data_; }
  std::size_t room() const { return ok_ ? capacity_ - size_ : 0; }

 private:
  char* data_;
  std::size_t capacity_;
  std::size_t size_ = 0;
  bool ok_ = true;
};

// The edits of forwarding_headers.hpp, for write_request_head to apply while it writes instead
// of changing the parsed fields (each change of Beast's fields allocates and searches).
struct ForwardingEdits {
  std::string_view client_ip;
  std::string_view proto;  // "http" or "https"
};

// The request as forwarded upstream: "METHOD target HTTP/1.1" and the fields. With `edits`, the
// fields are written as add_forwarded + remove_hop_by_hop would leave them (same order too);
// without, they were edited already.
void write_request_head(const boost::beast::http::request_header<>& head, const ForwardingEdits* edits,
                        HeadWriter& out);

// The response as sent to the client: HTTP/1.1, the upstream's fields minus hop-by-hop ones,
// then `set_cookie` (when not empty) and "Connection: close" when the client connection ends.
void write_response_head(const FlatResponseHead& head, std::string_view set_cookie, bool keep_alive,
                         HeadWriter& out);

}  // namespace switchyard::proxy::net
