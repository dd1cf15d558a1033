// `switchyard secrets ...`: the /v1/secrets calls of docs/controller-api.md. Values are read from
// --from-file (exact bytes), --value, or standard input (one trailing newline dropped), and are
// printed only by `secrets get`.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include <boost/json/serialize.hpp>

#include "controller/cli/commands.hpp"
#include "controller/cli/render.hpp"
#include "controller/cli/text_table.hpp"

namespace switchyard::controller::cli {
namespace {

namespace json = boost::json;

bool json_output(const CliRequest& request) { return request.global.output == OutputFormat::kJson; }

// The value to store; false with `error` when the file cannot be read.
bool read_value(const CliRequest& request, std::string& value, std::string& error) {
  if (request.has_secret_value) {
    value = request.secret_value;
    return true;
  }
  if (!request.value_file.empty()) {
    std::ifstream in(request.value_file, std::ios::binary);
    if (!in) {
      error = "--from-file: cannot read '" + request.value_file + "'";
      return false;
    }
    value.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
  }
  value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  if (value.ends_with("\r\n")) {
    value.resize(value.size() - 2);
  } else if (value.ends_with('\n')) {
    value.pop_back();
  }
  return true;
}

int put_value(const ControllerClient& client, const CliRequest& request, CliIo& io, bool rotate) {
  std::string value;
  if (std::string error; !read_value(request, value, error)) return report_failure(io, error);
  const auto body = json::serialize(json::object{{"value", value}});
  const auto target = "/v1/secrets/" + request.app + (rotate ? "/rotate" : "");
  const ApiReply reply = rotate ? client.post(target, body) : client.put(target, body);
  if (!reply.ok) return report_failure(io, reply.message);
  if (json_output(request)) {
    io.out << render_json(reply.body);
    return 0;
  }
  io.out << "secret " << request.app << " version " << field_text(reply.json, "version") << " stored\n";
  if (const auto* users = reply.json.is_object() ? reply.json.as_object().if_contains("used_by") : nullptr;
      users && users->is_array()) {
    for (const auto& user : users->as_array()) io.out << "used by app " << field_text(user, "app") << "\n";
  }
  // A rotation rolls the apps that use the secret (config-only rollouts).
  if (const auto* rollouts = reply.json.is_object() ? reply.json.as_object().if_contains("rollouts") : nullptr;
      rollouts && rollouts->is_array()) {
    for (const auto& started : rollouts->as_array()) {
      const auto* id = started.is_object() ? started.as_object().if_contains("rollout_id") : nullptr;
      io.out << "rolling " << field_text(started, "app") << " in " << field_text(started, "env") << ": "
             << (id ? "rollout " + json::serialize(*id) : "not started: " + field_text(started, "error")) << "\n";
    }
  }
  return 0;
}

int get_value(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const ApiReply reply = client.get("/v1/secrets/" + request.app + "?reveal=true");
  if (!reply.ok) return report_failure(io, reply.message);
  if (json_output(request)) {
    io.out << render_json(reply.body);
  } else {
    io.out << field_text(reply.json, "value") << "\n";
  }
  return 0;
}

int list(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const ApiReply reply = client.get("/v1/secrets");
  if (!reply.ok) return report_failure(io, reply.message);
  if (json_output(request)) {
    io.out << render_json(reply.body);
    return 0;
  }
  TextTable table({"NAME", "VERSION", "CREATED", "BY"});
  if (const auto* rows = reply.json.as_object().if_contains("secrets"); rows && rows->is_array()) {
    for (const auto& row : rows->as_array()) {
      const auto at = field_integer(row, "created_at_ms");
      table.add_row({field_text(row, "name"), field_text(row, "version"), at ? format_time_ms(*at) : "-",
                     field_text(row, "created_by")});
    }
  }
  io.out << table.render();
  return 0;
}

int history(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const ApiReply reply = client.get("/v1/secrets/" + request.app + "/history");
  if (!reply.ok) return report_failure(io, reply.message);
  if (json_output(request)) {
    io.out << render_json(reply.body);
    return 0;
  }
  TextTable audit({"AT", "ACTOR", "ACTION", "VERSION", "DETAIL"});
  if (const auto* rows = reply.json.as_object().if_contains("audit"); rows && rows->is_array()) {
    for (const auto& row : rows->as_array()) {
      const auto at = field_integer(row, "at_ms");
      audit.add_row({at ? format_time_ms(*at) : "-", field_text(row, "actor"), field_text(row, "action"),
                     field_text(row, "version"), field_text(row, "detail")});
    }
  }
  io.out << audit.render();
  return 0;
}

int rekey(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  std::error_code ec;
  const auto path = std::filesystem::absolute(request.new_key_file, ec).string();
  const ApiReply reply =
      client.post("/v1/secrets/rekey", json::serialize(json::object{{"new_key_file", ec ? request.new_key_file : path}}));
  if (!reply.ok) return report_failure(io, reply.message);
  if (json_output(request)) {
    io.out << render_json(reply.body);
    return 0;
  }
  io.out << field_text(reply.json, "reencrypted") << " secret versions re-encrypted under key id "
         << field_text(reply.json, "key_id") << "\n"
         << "point controller.secrets_key_file at " << path << " before the controller restarts\n";
  return 0;
}

}  // namespace

int run_secrets(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  switch (request.verb) {
    case Verb::kSecretsSet: return put_value(client, request, io, false);
    case Verb::kSecretsRotate: return put_value(client, request, io, true);
    case Verb::kSecretsGet: return get_value(client, request, io);
    case Verb::kSecretsList: return list(client, request, io);
    case Verb::kSecretsHistory: return history(client, request, io);
    case Verb::kSecretsRekey: return rekey(client, request, io);
    default: return report_failure(io, "not a secrets command");
  }
}

}  // namespace switchyard::controller::cli
