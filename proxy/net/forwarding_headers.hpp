#pragma once
// Header rewriting between the two legs: hop-by-hop headers removed (RFC 9110 §7.6.1, plus the
// ones named in Connection), X-Forwarded-* added on the way up, keep-alive and the cohort cookie
// set on the way down. Message framing (Content-Length / chunked) is left to Beast.

#include <boost/beast/http/fields.hpp>
#include <string_view>

namespace switchyard::proxy::net {

// Removes Connection, Keep-Alive, Proxy-Connection, TE, Trailer, Upgrade and every header the
// Connection header names.
void remove_hop_by_hop(boost::beast::http::fields& fields);

// Appends the client to X-Forwarded-For and sets X-Forwarded-Proto and X-Forwarded-Host.
// Call before remove_hop_by_hop is irrelevant: these are end-to-end.
void add_forwarded(boost::beast::http::fields& fields, std::string_view client_ip,
                   std::string_view proto);

// True when the header value contains `token` as a comma-separated element (case-insensitive).
bool has_token(std::string_view header_value, std::string_view token);

// True when a Connection value names header fields (any token but close and keep-alive), which
// then are hop-by-hop too.
bool names_fields(std::string_view connection_value);

}  // namespace switchyard::proxy::net
