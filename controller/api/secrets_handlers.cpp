// /v1/secrets (docs/controller-api.md, docs/secrets.md). Values appear in exactly one answer:
// GET /v1/secrets/NAME?reveal=true. Every call is audited by the SecretStore with the actor.
#include <openssl/crypto.h>

#include <algorithm>
#include <regex>

#include <boost/json/parse.hpp>

#include "controller/api/api_handlers.hpp"
#include "controller/secrets/secret_cipher.hpp"

namespace switchyard::controller::api {

namespace json = boost::json;

namespace {

// Best effort: the parsed copy of a value is overwritten before Boost.JSON frees it.
void wipe_json(json::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
}

template <typename T>
ApiResponse failed(const secrets::SecretOutcome<T>& outcome) {
  return error_response(outcome.status, outcome.error);
}

json::object version_json(const secrets::SecretVersion& row) {
  return {{"name", row.name}, {"version", row.version}, {"created_at_ms", row.created_at}, {"created_by", row.created_by}};
}

// The body's string `field`, or a 400 naming it.
std::optional<std::string> string_field(const std::string& body, const char* field, ApiResponse& error) {
  boost::system::error_code ec;
  auto parsed = json::parse(body, ec);
  const auto* value = !ec && parsed.is_object() ? parsed.get_object().if_contains(field) : nullptr;
  if (value == nullptr || !value->is_string()) {
    error = error_response(400, std::string(field) + ": required string");
    return std::nullopt;
  }
  std::string out(value->get_string());
  wipe_json(parsed.get_object()[field].get_string());
  return out;
}

// The apps (and the environments where they run a version) that list `name` in `secrets:`.
json::array users_of(ApiContext& context, const std::string& name) {
  json::array out;
  for (const auto& app : context.engine.config().apps) {
    if (std::find(app.secrets.begin(), app.secrets.end(), name) == app.secrets.end()) continue;
    json::array envs;
    for (const auto& env : context.engine.config().environments) envs.push_back(json::value(env.name));
    out.push_back({{"app", app.name}, {"environments", envs}});
  }
  return out;
}

ApiResponse put_secret(ApiContext& context, const ApiRequest& request, const std::string& name, const char* action) {
  ApiResponse error;
  auto value = string_field(request.body, "value", error);
  if (!value) return error;
  auto stored = context.secrets.store->put(name, *value, request.actor, action);
  secrets::wipe(*value);
  if (!stored.ok()) return failed(stored);
  auto out = version_json(stored.value);
  out["used_by"] = users_of(context, name);
  if (std::string(action) == "rotate" && context.secrets.on_rotated) context.secrets.on_rotated(name, stored.value.version);
  return json_response(std::string(action) == "set" ? 201 : 200, out);
}

ApiResponse list_secrets(ApiContext& context, const ApiRequest& request) {
  auto rows = context.secrets.store->list(request.actor);
  if (!rows.ok()) return failed(rows);
  json::array out;
  for (const auto& row : rows.value) out.push_back(version_json(row));
  return json_response(200, json::object{{"secrets", out}});
}

ApiResponse get_secret(ApiContext& context, const ApiRequest& request, const std::string& name) {
  auto reveal = request.query.find("reveal");
  if (reveal == request.query.end() || reveal->second != "true") {
    // Without reveal: what a listing shows for this one secret, no value, no audit of a read.
    auto rows = context.secrets.store->versions(name);
    if (!rows.ok()) return failed(rows);
    return json_response(200, version_json(rows.value.front()));
  }
  std::int64_t version = 0;
  auto value = context.secrets.store->get(name, request.actor, version);
  if (!value.ok()) return failed(value);
  auto response = json_response(200, json::object{{"name", name}, {"version", version}, {"value", value.value}});
  secrets::wipe(value.value);
  return response;
}

ApiResponse history(ApiContext& context, const std::string& name) {
  auto rows = context.secrets.store->versions(name);
  if (!rows.ok()) return failed(rows);
  auto audit = context.secrets.store->audit(name);
  if (!audit.ok()) return failed(audit);
  json::array versions;
  for (const auto& row : rows.value) versions.push_back(version_json(row));
  json::array records;
  for (const auto& row : audit.value) {
    records.push_back({{"seq", row.seq}, {"at_ms", row.at}, {"actor", row.actor}, {"action", row.action},
                       {"name", row.name}, {"version", row.version}, {"detail", row.detail}});
  }
  return json_response(200, json::object{{"name", name}, {"versions", versions}, {"audit", records}});
}

ApiResponse rekey(ApiContext& context, const ApiRequest& request) {
  boost::system::error_code ec;
  auto body = json::parse(request.body, ec);
  const auto* fields = !ec ? body.if_object() : nullptr;
  if (fields == nullptr) return error_response(400, "body must be a JSON object");
  const auto* file = fields->if_contains("new_key_file");
  const auto* hex = fields->if_contains("new_key_hex");
  if ((file == nullptr) == (hex == nullptr)) return error_response(400, "new_key_file or new_key_hex: exactly one is required");
  if ((file && !file->is_string()) || (hex && !hex->is_string())) {
    return error_response(400, std::string(file ? "new_key_file" : "new_key_hex") + ": must be a string");
  }
  auto loaded = file ? secrets::key_from_file(std::string(file->get_string()), "new_key_file")
                     : secrets::key_from_hex(std::string(hex->get_string()), "new_key_hex");
  if (hex) wipe_json(body.get_object()["new_key_hex"].get_string());
  if (!loaded.key) return error_response(400, loaded.error);
  auto done = context.secrets.store->rekey(*loaded.key, request.actor);
  if (!done.ok()) return failed(done);
  return json_response(200, json::object{{"reencrypted", done.value}, {"key_id", loaded.key->id()}});
}

}  // namespace

std::optional<ApiResponse> handle_secrets(ApiContext& context, const ApiRequest& request) {
  static const std::regex kSecret(R"(/v1/secrets/([^/]+)(?:/([a-z]+))?)");
  const auto& method = request.method;
  const auto& path = request.path;
  std::smatch match;
  const bool all = path == "/v1/secrets";
  if (!all && !std::regex_match(path, match, kSecret)) return std::nullopt;
  if (context.secrets.store == nullptr) return error_response(503, secrets::kNoKeyMessage);
  if (all) {
    if (method == "GET") return list_secrets(context, request);
    return error_response(405, "use GET /v1/secrets");
  }
  const auto name = match[1].str();
  const auto verb = match[2].str();
  if (name == "rekey" && verb.empty() && method == "POST") return rekey(context, request);
  if (auto error = secrets::check_secret_name(name); !error.empty()) return error_response(400, error);
  if (verb.empty() && method == "PUT") return put_secret(context, request, name, "set");
  if (verb.empty() && method == "GET") return get_secret(context, request, name);
  if (verb == "rotate" && method == "POST") return put_secret(context, request, name, "rotate");
  if (verb == "history" && method == "GET") return history(context, name);
  return error_response(404, "no such call: " + method + " " + path);
}

}  // namespace switchyard::controller::api
