// Run-time re-validation (admin API changes) with the loader's own rules.
#include "config/config_rules.hpp"
#include "config/load_proxy_config.hpp"

namespace switchyard::config {

std::string validate_proxy_config(const ProxyConfig& config, const std::string& source_name) {
  try {
    if (auto problem = rules::check_proxy_config(config)) {
      return source_name + ": " + problem->path + ": " + problem->message;
    }
    return {};
  } catch (const std::exception& e) {
    return source_name + ": " + e.what();
  } catch (...) {
    return source_name + ": unexpected error";
  }
}

}  // namespace switchyard::config
