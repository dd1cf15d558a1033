#include "controller/engine/config_overlays.hpp"

#include <openssl/evp.h>

#include <boost/json/serialize.hpp>

namespace switchyard::controller::engine {
namespace {

constexpr const char* kConfigSuffix = "+cfg.";

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

boost::json::object object_of(const std::map<std::string, std::string>& map) {
  boost::json::object out;
  for (const auto& [key, value] : map) out[key] = value;  // std::map order: sorted keys
  return out;
}

}  // namespace

RenderedConfig render_variables(const std::map<std::string, std::pair<std::string, std::string>>& merged,
                                const std::map<std::string, std::string>& secret_versions) {
  RenderedConfig out;
  for (const auto& [key, value_and_source] : merged) {
    out.vars[key] = value_and_source.first;
    out.sources[key] = value_and_source.second;
  }
  out.secret_versions = secret_versions;
  out.canonical_json = boost::json::serialize(
      boost::json::object{{"config", object_of(out.vars)}, {"secrets", object_of(secret_versions)}});
  out.hash = sha256_hex(out.canonical_json);
  return out;
}

std::string vars_json(const Variables& vars) { return boost::json::serialize(object_of(vars)); }

std::string code_version(const std::string& label) {
  const auto at = label.find(kConfigSuffix);
  return at == std::string::npos ? label : label.substr(0, at);
}

std::string config_label(const std::string& baseline_label, const std::string& hash) {
  return code_version(baseline_label) + kConfigSuffix + hash.substr(0, 8);
}

std::vector<std::string> ConfigOverlays::replace(const config::ControllerConfig& fresh) {
  std::vector<std::string> changed;
  std::lock_guard lock(mutex_);
  for (const auto& app : fresh.apps) {
    auto& slot = apps_[app.name];
    if (slot != app.config) changed.push_back("apps." + app.name + ".config");
    slot = app.config;
  }
  for (const auto& env : fresh.environments) {
    auto& slot = envs_[env.name];
    if (slot != env.config) changed.push_back("environments." + env.name + ".config");
    slot = env.config;
  }
  return changed;
}

RenderedConfig ConfigOverlays::render(const std::string& app, const std::string& env,
                                      const std::map<std::string, std::string>& secret_versions) const {
  std::map<std::string, std::pair<std::string, std::string>> merged;  // key -> (value, source)
  {
    std::lock_guard lock(mutex_);
    auto layer = [&merged](const Variables* vars, const std::string& source) {
      if (!vars) return;
      for (const auto& [key, value] : *vars) merged[key] = {value, source};
    };
    const auto own = apps_.find(app);
    auto scope = [&own, this_apps = &apps_](const std::string& name) -> const Variables* {
      if (own == this_apps->end()) return nullptr;
      auto found = own->second.find(name);
      return found == own->second.end() ? nullptr : &found->second;
    };
    // Later layers win: app base < environment-wide config < app config.<env>.
    layer(scope("base"), "apps." + app + ".config.base");
    auto env_vars = envs_.find(env);
    layer(env_vars == envs_.end() ? nullptr : &env_vars->second, "environments." + env + ".config");
    layer(scope(env), "apps." + app + ".config." + env);
  }
  return render_variables(merged, secret_versions);
}

}  // namespace switchyard::controller::engine
