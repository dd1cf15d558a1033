// `switchyard analytics [APP] [--env ENV] [--since D]`: GET /v1/analytics as a table, or its JSON.
#include <boost/json/value.hpp>

#include "controller/cli/analytics_render.hpp"
#include "controller/cli/commands.hpp"
#include "controller/cli/render.hpp"
#include "controller/cli/text_table.hpp"

namespace switchyard::controller::cli {
namespace {

std::string percent_text(const boost::json::value& figures, std::string_view key) {
  const auto value = field_number(figures, key);
  return value ? format_percent(*value) : "-";
}

std::string duration_text(const boost::json::value& figures, std::string_view key) {
  const auto value = field_integer(figures, key);
  return value ? format_duration_ms(*value) : "-";
}

std::vector<std::string> figures_row(std::string app, std::string env, const boost::json::value& f) {
  return {std::move(app),
          std::move(env),
          field_text(f, "deployments"),
          field_text(f, "succeeded"),
          field_text(f, "failed"),
          field_text(f, "aborted"),
          field_text(f, "in_progress"),
          percent_text(f, "success_rate"),
          percent_text(f, "change_failure_rate"),
          duration_text(f, "mean_duration_ms"),
          duration_text(f, "p90_duration_ms"),
          field_text(f, "rollbacks"),
          duration_text(f, "mean_time_to_restore_ms"),
          field_text(f, "guard_trips"),
          field_text(f, "drift_incidents")};
}

const boost::json::array& array_of(const boost::json::value& answer, std::string_view key) {
  static const boost::json::array kEmpty;
  const auto* value = answer.is_object() ? answer.get_object().if_contains(key) : nullptr;
  return value != nullptr && value->is_array() ? value->get_array() : kEmpty;
}

}  // namespace

std::string render_analytics(const boost::json::value& answer) {
  const auto since = field_integer(answer, "since_ms").value_or(0);
  const auto until = field_integer(answer, "until_ms").value_or(0);
  std::string out = (since > 0 ? "since " + format_time_ms(since) : std::string("all history")) + " until " +
                    format_time_ms(until) + "\n";
  TextTable table({"APP", "ENV", "DEPLOYS", "OK", "FAILED", "ABORTED", "RUNNING", "SUCCESS", "CFR", "MEAN", "P90",
                   "ROLLBACKS", "MTTR", "GUARD", "DRIFT"});
  for (const auto& group : array_of(answer, "groups")) {
    table.add_row(figures_row(field_text(group, "app"), field_text(group, "env"), group));
  }
  if (table.rows() == 0) return out + "no rollouts\n";
  const auto* totals = answer.get_object().if_contains("totals");
  if (totals != nullptr) table.add_row(figures_row("TOTAL", "", *totals));
  out += table.render();
  TextTable drift({"ENV", "DRIFT INCIDENTS", "IN DRIFT NOW"});
  for (const auto& env : array_of(answer, "environments")) {
    drift.add_row({field_text(env, "env"), field_text(env, "drift_incidents"), field_text(env, "drift_active")});
  }
  if (drift.rows() > 0) out += "\n" + drift.render();
  return out;
}

int analytics_command(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  const ApiReply reply =
      client.get("/v1/analytics" + query_string({{"app", request.app}, {"env", request.env}, {"since", request.since}}));
  if (!reply.ok) return report_failure(io, reply.message);
  io.out << (request.global.output == OutputFormat::kJson ? render_json(reply.body) : render_analytics(reply.json));
  return 0;
}

}  // namespace switchyard::controller::cli
