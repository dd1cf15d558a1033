// rollout promote-env, config show, instances (docs/cli.md).
#include <boost/json/serialize.hpp>

#include "controller/cli/commands.hpp"
#include "controller/cli/controller_url.hpp"
#include "controller/cli/render.hpp"
#include "controller/cli/text_table.hpp"

namespace switchyard::controller::cli {
namespace {

namespace json = boost::json;

bool as_json(const CliRequest& request) { return request.global.output == OutputFormat::kJson; }

const json::object& object_member(const json::value& value, const char* key) {
  static const json::object kEmpty;
  const auto* object = value.if_object();
  const auto* member = object ? object->if_contains(key) : nullptr;
  return member && member->is_object() ? member->get_object() : kEmpty;
}

}  // namespace

int promote_env(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  json::object body{{"from", request.from}, {"to", request.to}, {"force", request.force}, {"reason", request.reason}};
  if (!request.version.empty()) body["version"] = request.version;
  const ApiReply reply = client.post("/v1/apps/" + url_encode(request.app) + "/promote", json::serialize(body));
  if (!reply.ok) return report_failure(io, reply.message);
  if (as_json(request)) {
    io.out << render_json(reply.body);
  } else {
    io.out << render_status(json::object{{"rollouts", json::array{reply.json}}}, now_ms(io));
  }
  return 0;
}

int config_show(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const ApiReply reply =
      client.get("/v1/apps/" + url_encode(request.app) + "/config" + query_string({{"env", request.env}}));
  if (!reply.ok) return report_failure(io, reply.message);
  if (as_json(request)) {
    io.out << render_json(reply.body);
    return 0;
  }
  io.out << request.app << " in " << request.env << ": hash " << field_text(reply.json, "hash") << "\n";
  TextTable table({"KEY", "VALUE", "SOURCE"});
  for (const auto& [key, entry] : object_member(reply.json, "keys")) {
    table.add_row({std::string(key), field_text(entry, "value"), field_text(entry, "source")});
  }
  for (const auto& [name, version] : object_member(reply.json, "secrets")) {
    table.add_row({std::string(name), "(secret, version " + value_text(version) + ")", "secrets"});
  }
  io.out << (table.rows() == 0 ? std::string("no configuration keys\n") : table.render());
  return 0;
}

int instances(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const ApiReply reply = client.get("/v1/instances" + query_string({{"app", request.app}, {"env", request.env}}));
  if (!reply.ok) return report_failure(io, reply.message);
  if (as_json(request)) {
    io.out << render_json(reply.body);
    return 0;
  }
  TextTable table({"APP", "ENV", "VERSION", "#", "PID", "PORT", "STATE", "CONFIG"});
  const auto* object = reply.json.if_object();
  const auto* list = object ? object->if_contains("instances") : nullptr;
  if (list && list->is_array()) {
    for (const auto& row : list->get_array()) {
      std::string hash = field_text(row, "config_hash");
      table.add_row({field_text(row, "app"), field_text(row, "env"), field_text(row, "version"),
                     field_text(row, "index"), field_text(row, "pid"), field_text(row, "port"),
                     field_text(row, "state"), hash.size() > 12 ? hash.substr(0, 12) : hash});
    }
  }
  io.out << (table.rows() == 0 ? std::string("no live instances\n") : table.render());
  return 0;
}

}  // namespace switchyard::controller::cli
