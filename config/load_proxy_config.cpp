// Entry points of the proxy configuration loader (shared machinery in config_loading.hpp).
#include "config/load_proxy_config.hpp"

#include "config/config_loading.hpp"
#include "config/config_rules.hpp"
#include "config/decode_proxy_config.hpp"

namespace switchyard::config {
namespace {

auto decode = [](const YamlReader& reader) { return decode_proxy_config(reader); };
auto check = [](const ProxyConfig& config) { return rules::check_proxy_config(config); };

// Relative paths in the file mean "next to the file", not "next to the working directory".
void resolve_paths(ProxyConfig& config, const std::filesystem::path& dir) {
  for (auto& listener : config.listeners) {
    if (!listener.tls) continue;
    loading::resolve_against(dir, listener.tls->cert);
    loading::resolve_against(dir, listener.tls->key);
    for (auto& certificate : listener.tls->certificates) {
      loading::resolve_against(dir, certificate.cert);
      loading::resolve_against(dir, certificate.key);
    }
  }
  loading::resolve_against(dir, config.admin.token_file);
}

}  // namespace

ProxyConfigResult parse_proxy_config(std::string_view yaml_text, const std::string& source_name) {
  return loading::parse_text<ProxyConfig>(yaml_text, source_name, decode, check);
}

ProxyConfigResult load_proxy_config_file(const std::string& path) {
  return loading::load_file<ProxyConfig>(path, decode, check, resolve_paths);
}

}  // namespace switchyard::config
