// libFuzzer target: arbitrary text as a proxy configuration file. The loader must answer with a
// configuration or a one-line error, never crash or let an exception out; a configuration it
// accepts must pass the run-time validation too (both apply the same rules).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "config/load_proxy_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = switchyard::config::parse_proxy_config(text, "fuzz.yaml");
  if (auto* error = std::get_if<switchyard::config::ConfigError>(&result)) {
    if (error->message.rfind("fuzz.yaml: ", 0) != 0) {
      std::fprintf(stderr, "error without the source name: %s\n", error->message.c_str());
      std::abort();
    }
    return 0;
  }
  const auto& config = std::get<switchyard::config::ProxyConfig>(result);
  const std::string problem = switchyard::config::validate_proxy_config(config, "fuzz");
  if (!problem.empty()) {
    std::fprintf(stderr, "loaded, yet invalid: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
