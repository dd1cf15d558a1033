// /admin/env and /admin/config-file: what configuration this backend was started with.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "demo/demo_routes.hpp"

namespace switchyard::demo {

namespace json = boost::json;

std::string env_json(std::string_view target) {
  std::string name;
  const auto question = target.find('?');
  std::string_view query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.substr(0, 5) == "name=") name = std::string(pair.substr(5));
  }
  if (name.empty()) return error_json("name: required (?name=VARIABLE)");
  const char* value = std::getenv(name.c_str());
  return json::serialize(json::object{{"name", name}, {"value", value ? json::value(value) : json::value(nullptr)}});
}

std::string config_file_json(const std::string& path) {
  json::value content = nullptr;
  if (!path.empty()) {
    std::ifstream in(path);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      content = text.str();
    }
  }
  return json::serialize(json::object{{"path", path}, {"content", content}});
}

}  // namespace switchyard::demo
