#include "controller/engine/route_split.hpp"

namespace switchyard::controller::engine {

std::vector<config::SplitEntry> split_of(const boost::json::value& route) {
  std::vector<config::SplitEntry> split;
  const auto* object = route.if_object();
  if (!object) return split;
  const auto* entries = object->if_contains("split");
  if (!entries || !entries->is_array()) return split;
  for (const auto& entry : entries->get_array()) {
    const auto* fields = entry.if_object();
    if (!fields) continue;
    config::SplitEntry parsed;
    if (const auto* v = fields->if_contains("version"); v && v->is_string()) parsed.version = v->get_string();
    if (const auto* u = fields->if_contains("upstream"); u && u->is_string()) parsed.upstream = u->get_string();
    if (const auto* w = fields->if_contains("weight"); w && w->is_number()) {
      parsed.weight = static_cast<std::uint32_t>(w->to_number<double>());
    }
    if (!parsed.version.empty()) split.push_back(std::move(parsed));
  }
  return split;
}

bool split_has(const std::vector<config::SplitEntry>& split, const std::string& version) {
  for (const auto& entry : split) {
    if (entry.version == version) return true;
  }
  return false;
}

std::string heaviest_version(const std::vector<config::SplitEntry>& split, const std::string& except) {
  const config::SplitEntry* best = nullptr;
  for (const auto& entry : split) {
    if (entry.version == except) continue;
    if (!best || entry.weight > best->weight) best = &entry;
  }
  return best ? best->version : std::string();
}

}  // namespace switchyard::controller::engine
