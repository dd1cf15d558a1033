#pragma once
// The configuration in force as CANONICAL JSON, and its SHA-256, for GET /v1/config: two proxies
// whose configurations are equal produce byte-identical text and therefore equal hashes, so a
// controller can detect drift by comparing hashes.
//
// Canonical form (a contract: changing it changes every hash):
//  - no whitespace; keys in the fixed order of SPEC §2 (listed in config_json.cpp), never sorted
//    by a library; every key present, defaults written out; absent optional objects are null;
//  - integers in decimal; max_error_rate in the shortest round-trip form (std::to_chars);
//  - strings escaped as in RFC 8259 (", \ and control characters; \u00XX for the latter except
//    \b \f \n \r \t), other bytes as they are;
//  - the admin token file's path is included, the token itself never.
// Pure functions, any thread.

#include <string>

#include "config/proxy_config.hpp"

namespace switchyard::proxy::admin {

// The canonical JSON text of `config`.
std::string canonical_config_json(const config::ProxyConfig& config);

// Lower-case hex SHA-256 (OpenSSL EVP) of `text`.
std::string sha256_hex(const std::string& text);

// sha256_hex(canonical_config_json(config)).
std::string config_hash(const config::ProxyConfig& config);

}  // namespace switchyard::proxy::admin
