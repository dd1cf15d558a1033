#pragma once
// FlatResponseHead: an allocation-free parse of an upstream's response head, for the exchange's
// fast path (docs/performance.md). It accepts only the plain shape almost every upstream sends —
// "HTTP/1.x NNN reason", token field names, at most one Content-Length, no Transfer-Encoding,
// no obs-fold — and says `unusual` for anything else, so that Beast's parser (the slow path)
// decides every odd case exactly as it did before this existed. Views point into the caller's
// buffer. Worker-local, one per exchange.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace switchyard::proxy::net {

class FlatResponseHead {
 public:
  enum class Result { incomplete, complete, unusual };

  struct Field {
    std::string_view name;
    std::string_view value;
  };

  static constexpr std::size_t kMaxFields = 100;
  static constexpr std::size_t kMaxHeadBytes = 64 * 1024;  // Beast's header_limit on the slow path

  // Parses `bytes` (the upstream buffer from its first byte). incomplete: read more and call again.
  Result parse(std::string_view bytes);

  unsigned status() const { return status_; }
  std::string_view reason() const { return reason_; }
  unsigned version() const { return version_; }  // 10 or 11
  std::size_t head_bytes() const { return head_bytes_; }
  bool has_content_length() const { return has_content_length_; }
  std::uint64_t content_length() const { return content_length_; }
  // Connection semantics of the upstream: HTTP/1.1 unless "close", HTTP/1.0 only with "keep-alive".
  bool keep_alive() const;
  std::size_t field_count() const { return count_; }
  const Field& field(std::size_t i) const { return fields_[i]; }
  // Hop-by-hop (RFC 9110 §7.6.1): the fixed list plus what Connection names; never the framing.
  bool is_hop_by_hop(std::string_view name) const;

 private:
  Result parse_status_line(std::string_view line);
  Result add_field(std::string_view line);

  std::array<Field, kMaxFields> fields_;
  std::size_t count_ = 0;
  std::size_t head_bytes_ = 0;
  std::string_view reason_;
  std::string_view connection_;  // the Connection value (only one such field on the fast path)
  std::uint64_t content_length_ = 0;
  unsigned status_ = 0;
  unsigned version_ = 11;
  bool has_content_length_ = false;
};

}  // namespace switchyard::proxy::net
