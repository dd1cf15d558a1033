#include "controller/cli/render.hpp"

#include <boost/json/serialize.hpp>

#include "controller/cli/text_table.hpp"

namespace switchyard::controller::cli {
namespace {

const boost::json::array& array_member(const boost::json::value& object, std::string_view key) {
  static const boost::json::array kEmpty;
  if (!object.is_object()) return kEmpty;
  const auto* value = object.get_object().if_contains(key);
  return value != nullptr && value->is_array() ? value->get_array() : kEmpty;
}

std::string state_text(const boost::json::value& rollout) {
  std::string state = field_text(rollout, "state");
  if (field_true(rollout, "paused")) state += " (paused)";
  return state;
}

std::string started_text(const boost::json::value& rollout) {
  const auto started = field_integer(rollout, "started_ms");
  return started ? format_time_ms(*started) : "-";
}

std::string duration_text(const boost::json::value& rollout, std::int64_t now_ms) {
  const auto started = field_integer(rollout, "started_ms");
  if (!started) return "-";
  const auto finished = field_integer(rollout, "finished_ms");
  return format_duration_ms(finished.value_or(now_ms) - *started);
}

std::string weight_text(const boost::json::value& rollout) {
  const std::string weight = field_text(rollout, "weight");
  return weight == "-" ? weight : weight + "%";
}

}  // namespace

std::string rollout_id(const boost::json::value& rollout) { return field_text(rollout, "id"); }

bool rollout_finished(const boost::json::value& rollout) {
  return field_text(rollout, "result") != "-" || field_integer(rollout, "finished_ms").has_value();
}

std::string render_history(const boost::json::value& rollouts, std::int64_t now_ms) {
  TextTable table({"ID", "APP", "ENV", "VERSION", "STRATEGY", "STATE", "RESULT", "STARTED",
                   "DURATION"});
  for (const auto& rollout : array_member(rollouts, "rollouts")) {
    table.add_row({rollout_id(rollout), field_text(rollout, "app"), field_text(rollout, "env"),
                   field_text(rollout, "version"), field_text(rollout, "strategy"),
                   state_text(rollout), field_text(rollout, "result"), started_text(rollout),
                   duration_text(rollout, now_ms)});
  }
  if (table.rows() == 0) return "no rollouts\n";
  return table.render();
}

std::string render_status(const boost::json::value& rollouts, std::int64_t now_ms) {
  TextTable table({"ID", "APP", "ENV", "BASELINE", "VERSION", "STRATEGY", "STATE", "STEP",
                   "WEIGHT", "STARTED", "DURATION"});
  for (const auto& rollout : array_member(rollouts, "rollouts")) {
    table.add_row({rollout_id(rollout), field_text(rollout, "app"), field_text(rollout, "env"),
                   field_text(rollout, "baseline_version"), field_text(rollout, "version"),
                   field_text(rollout, "strategy"), state_text(rollout),
                   field_text(rollout, "step_index"), weight_text(rollout), started_text(rollout),
                   duration_text(rollout, now_ms)});
  }
  if (table.rows() == 0) return "no rollouts\n";
  return table.render();
}

std::string render_envs(const boost::json::value& answer) {
  TextTable table({"ENV", "REQUIRES", "PROXY", "REACHABLE", "ERROR"});
  for (const auto& env : array_member(answer, "environments")) {
    std::string requires_text;
    for (const auto& name : array_member(env, "requires")) {
      if (!requires_text.empty()) requires_text += ",";
      requires_text += name.is_string() ? std::string(name.get_string()) : "?";
    }
    if (requires_text.empty()) requires_text = "-";
    const auto& proxies = array_member(env, "proxies");
    if (proxies.empty()) table.add_row({field_text(env, "name"), requires_text, "-", "-", "-"});
    for (const auto& proxy : proxies) {
      const std::string error = field_text(proxy, "error");
      table.add_row({field_text(env, "name"), requires_text, field_text(proxy, "admin"),
                     field_true(proxy, "reachable") ? "yes" : "no", error.empty() ? "-" : error});
    }
  }
  if (table.rows() == 0) return "no environments\n";
  return table.render();
}

std::string render_weights_outcome(const boost::json::value& answer) {
  TextTable table({"PROXY", "RESULT", "ERROR"});
  for (const auto& proxy : array_member(answer, "proxies")) {
    const std::string error = field_text(proxy, "error");
    table.add_row({field_text(proxy, "admin"), field_true(proxy, "ok") ? "ok" : "failed",
                   error.empty() ? "-" : error});
  }
  if (table.rows() == 0) return "no proxies\n";
  return table.render();
}

std::string render_outcome(const boost::json::value& rollout) {
  std::string text = "rollout " + rollout_id(rollout) + " " + field_text(rollout, "result");
  const std::string reason = field_text(rollout, "reason");
  if (reason != "-" && !reason.empty()) text += ": " + reason;
  return text + "\n";
}

namespace {

// Emits a line break and the indentation for `depth` (pretty mode only).
void new_line(std::string& out, bool pretty, int depth) {
  if (!pretty) return;
  out += '\n';
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

// Whether the next non-blank character after `i` closes the container just opened.
bool closes_next(std::string_view text, std::size_t i) {
  const auto next = text.find_first_not_of(" \t\r\n", i + 1);
  return next != std::string_view::npos && (text[next] == '}' || text[next] == ']');
}

}  // namespace

std::string render_json(std::string_view text, bool pretty) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case ' ': case '\t': case '\r': case '\n': break;
      case '"': in_string = true; out += c; break;
      case ',': out += c; new_line(out, pretty, depth); break;
      case ':': out += pretty ? ": " : ":"; break;
      case '{': case '[':
        out += c;
        if (closes_next(text, i)) break;  // {} and [] stay on one line
        new_line(out, pretty, ++depth);
        break;
      case '}': case ']':
        if (!out.empty() && out.back() != '{' && out.back() != '[') new_line(out, pretty, --depth);
        out += c;
        break;
      default: out += c;
    }
  }
  return out + '\n';
}

}  // namespace switchyard::controller::cli
