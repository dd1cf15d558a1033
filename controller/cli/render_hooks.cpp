// render_hook_runs (declared in render.hpp): the hooks table under `rollout status`.
#include "controller/cli/render.hpp"
#include "controller/cli/text_table.hpp"

namespace switchyard::controller::cli {
namespace {

std::string shortened(std::string text, std::size_t limit) {
  text = text.substr(0, text.find('\n'));
  if (text.size() > limit) text = text.substr(0, limit - 3) + "...";
  return text;
}

// "ok", "timed out", "exit 3", "HTTP 503", else the error's first line, short.
std::string result_text(const boost::json::value& run) {
  if (field_text(run, "ok") == "true") return "ok";
  const auto error = field_text(run, "error");
  if (error.find("timed out") != std::string::npos) return "timed out";
  if (auto code = field_integer(run, "exit_code")) return "exit " + std::to_string(*code);
  if (auto status = field_integer(run, "http_status")) return "HTTP " + std::to_string(*status);
  return shortened(error, 60);
}

}  // namespace

std::string render_hook_runs(const boost::json::value& rollout) {
  const auto* object = rollout.if_object();
  const auto* hooks = object ? object->if_contains("hooks") : nullptr;
  if (!hooks || !hooks->is_array() || hooks->get_array().empty()) return {};
  TextTable table({"PHASE", "#", "KIND", "DURATION", "RESULT", "TARGET"});
  for (const auto& run : hooks->get_array()) {
    const auto ms = field_integer(run, "duration_ms").value_or(0);
    table.add_row({field_text(run, "phase"), field_text(run, "hook_index"), field_text(run, "kind"),
                   std::to_string(ms) + "ms", result_text(run), shortened(field_text(run, "target"), 50)});
  }
  return "hooks of rollout " + rollout_id(rollout) + ":\n" + table.render();
}

}  // namespace switchyard::controller::cli
