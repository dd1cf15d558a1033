#pragma once
// Helpers for the TLS and WebSocket integration tests: a proxy config with a TLS listener, and
// openssl s_client / curl runs against it.

#include <string>

#include "tests/support/demo_backend.hpp"
#include "tests/support/tls_certs.hpp"

namespace switchyard::test {

// One route "shop" to one demo backend (version "blue"); listeners: `listeners_yaml` (a YAML
// list body, e.g. "  - address: 127.0.0.1:0\n    tls: {...}\n").
inline std::string single_backend_config(const DemoBackend& backend, const std::string& listeners_yaml) {
  return "listeners:\n" + listeners_yaml +
         "admin:\n  address: 127.0.0.1:0\n"
         "workers: 2\n"
         "upstreams:\n"
         "  - name: shop-blue\n    endpoints: [" + backend.address() + "]\n"
         "routes:\n"
         "  - name: shop\n"
         "    match: { path_prefix: / }\n"
         "    split:\n"
         "      - { version: blue, upstream: shop-blue, weight: 100 }\n";
}

// `openssl s_client` against 127.0.0.1:port with `extra` options; returns its output.
inline std::string s_client(std::uint16_t port, const std::string& extra) {
  return run_command("echo | timeout 10 openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " " + extra)
      .second;
}

}  // namespace switchyard::test
