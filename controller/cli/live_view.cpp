// render_live (declared in render.hpp): one frame of `rollout status --watch`.
#include <cmath>
#include <cstdio>

#include "controller/cli/render.hpp"
#include "controller/cli/text_table.hpp"

namespace switchyard::controller::cli {
namespace {

constexpr int kBarWidth = 40;

const boost::json::object& object_member(const boost::json::value& object, std::string_view key) {
  static const boost::json::object kEmpty;
  if (!object.is_object()) return kEmpty;
  const auto* value = object.get_object().if_contains(key);
  return value != nullptr && value->is_object() ? value->get_object() : kEmpty;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

std::string header_lines(const boost::json::value& rollout, std::int64_t now_ms) {
  std::string text = "rollout " + rollout_id(rollout) + "  " + field_text(rollout, "app") +
                     " in " + field_text(rollout, "env") + "  " +
                     field_text(rollout, "baseline_version") + " -> " +
                     field_text(rollout, "version") + "  (" + field_text(rollout, "strategy") +
                     ")\n";
  text += "state     " + field_text(rollout, "state") + ", step " +
          field_text(rollout, "step_index") + ", weight " + field_text(rollout, "weight") + "%";
  if (field_true(rollout, "paused")) text += ", paused";
  if (rollout_finished(rollout)) text += ", result " + field_text(rollout, "result");
  text += "\n";
  if (const auto started = field_integer(rollout, "started_ms")) {
    const auto end = field_integer(rollout, "finished_ms").value_or(now_ms);
    text += "started   " + format_time_ms(*started) + " (" + format_duration_ms(end - *started) +
            ")\n";
  }
  return text;
}

// "weights   v1  [####....]  90" lines, one per version, in the controller's order.
std::string weight_lines(const boost::json::object& weights) {
  double total = 0;
  std::size_t name_width = 0;
  for (const auto& entry : weights) {
    total += value_number(entry.value()).value_or(0);
    name_width = std::max(name_width, entry.key().size());
  }
  std::string text;
  bool first = true;
  for (const auto& entry : weights) {
    const double weight = value_number(entry.value()).value_or(0);
    const int filled = total > 0 ? static_cast<int>(std::lround(weight * kBarWidth / total)) : 0;
    text += first ? "weights   " : "          ";
    first = false;
    text += pad(std::string(entry.key()), name_width) + "  [" + std::string(filled, '#') +
            std::string(kBarWidth - filled, '.') + "]  " +
            value_text(entry.value()) + "\n";
  }
  return text.empty() ? "weights   -\n" : text;
}

std::string p99_text(const boost::json::value& figures) {
  const auto p99 = field_number(figures, "p99_ms");
  if (!p99) return "-";
  char text[32];
  if (*p99 == std::floor(*p99)) {
    std::snprintf(text, sizeof text, "%.0f ms", *p99);
  } else {
    std::snprintf(text, sizeof text, "%.1f ms", *p99);
  }
  return text;
}

std::string figure_table(const boost::json::object& versions) {
  TextTable table({"VERSION", "REQUESTS", "ERRORS", "ERROR RATE", "P99"});
  for (const auto& entry : versions) {
    const auto rate = field_number(entry.value(), "error_rate");
    table.add_row({std::string(entry.key()), field_text(entry.value(), "requests"),
                   field_text(entry.value(), "errors"), rate ? format_percent(*rate) : "-",
                   p99_text(entry.value())});
  }
  return table.rows() == 0 ? "no traffic figures yet\n" : table.render();
}

}  // namespace

std::string render_live(const boost::json::value& live, std::int64_t now_ms) {
  const boost::json::value rollout = object_member(live, "rollout");
  return header_lines(rollout, now_ms) + weight_lines(object_member(live, "weights")) + "\n" +
         figure_table(object_member(live, "versions"));
}

}  // namespace switchyard::controller::cli
