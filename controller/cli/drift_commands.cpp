// `switchyard drift [--env ENV] [--report]` and `switchyard drift accept --env ENV [--proxy P]`
// (docs/cli.md, docs/drift.md).
#include <boost/json/serialize.hpp>

#include "controller/cli/commands.hpp"
#include "controller/cli/render.hpp"
#include "controller/cli/text_table.hpp"

namespace switchyard::controller::cli {
namespace {

namespace json = boost::json;

const json::array& list_of(const json::value& answer, const char* key) {
  static const json::array empty;
  const auto* object = answer.if_object();
  const auto* value = object != nullptr ? object->if_contains(key) : nullptr;
  return value != nullptr && value->is_array() ? value->get_array() : empty;
}

// The diff lines as one cell ("-" when none).
std::string diff_cell(const json::value& entry) {
  std::string out;
  for (const auto& line : list_of(entry, "diff")) out += (out.empty() ? "" : "; ") + value_text(line);
  return out.empty() ? "-" : out;
}

std::string render_drift(const json::value& answer, std::int64_t now) {
  TextTable table({"ENV", "PROXY", "STATE", "FOR", "REMEDIATE", "DIFF"});
  for (const auto& proxy : list_of(answer, "proxies")) {
    const auto since = field_integer(proxy, "since").value_or(0);
    std::string diff = diff_cell(proxy);
    if (field_text(proxy, "state") == "unreachable") diff = field_text(proxy, "error");
    table.add_row({field_text(proxy, "env"), field_text(proxy, "proxy"), field_text(proxy, "state"),
                   since > 0 ? format_duration_ms(now - since) : "-", field_text(proxy, "remediate"), diff});
  }
  if (table.rows() == 0) return "no proxies\n";
  return table.render();
}

std::string render_drift_report(const json::value& answer) {
  TextTable table({"ID", "ENV", "PROXY", "FOUND", "ENDED", "RESOLUTION", "BY", "DIFF"});
  for (const auto& incident : list_of(answer, "incidents")) {
    const auto found = field_integer(incident, "found_at");
    const auto ended = field_integer(incident, "resolved_at");
    table.add_row({field_text(incident, "id"), field_text(incident, "env"), field_text(incident, "proxy"),
                   found ? format_time_ms(*found) : "-", ended ? format_time_ms(*ended) : "open",
                   field_text(incident, "resolution"), field_text(incident, "resolved_by"), diff_cell(incident)});
  }
  if (table.rows() == 0) return "no drift recorded\n";
  return table.render();
}

}  // namespace

int drift_status(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const bool as_json = request.global.output == OutputFormat::kJson;
  const auto path = request.report ? "/v1/drift/report" : "/v1/drift";
  const ApiReply reply = client.get(path + query_string({{"env", request.env}}));
  if (!reply.ok) return report_failure(io, reply.message);
  if (as_json) {
    io.out << render_json(reply.body);
  } else {
    io.out << (request.report ? render_drift_report(reply.json) : render_drift(reply.json, now_ms(io)));
  }
  return 0;
}

int drift_accept(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  json::object body{{"env", request.env}};
  if (!request.proxy.empty()) body["proxy"] = request.proxy;
  const ApiReply reply = client.post("/v1/drift/accept", json::serialize(body));
  if (!reply.ok) return report_failure(io, reply.message);
  if (request.global.output == OutputFormat::kJson) {
    io.out << render_json(reply.body);
    return 0;
  }
  TextTable table({"PROXY", "RESULT", "ERROR"});
  int failed = 0;
  for (const auto& proxy : list_of(reply.json, "proxies")) {
    const bool ok = field_text(proxy, "accepted") == "true";
    if (!ok) ++failed;
    const auto error = field_text(proxy, "error");
    table.add_row({field_text(proxy, "proxy"), ok ? "accepted" : "failed", error.empty() ? "-" : error});
  }
  io.out << table.render();
  return failed == 0 ? 0 : report_failure(io, std::to_string(failed) + " proxies not accepted");
}

}  // namespace switchyard::controller::cli
