#include "controller/drift/drift_journal.hpp"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace switchyard::controller::drift {
namespace {

namespace json = boost::json;

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

}  // namespace

void DriftJournal::record(const DriftNote& note, const char* kind, const boost::json::object& detail) {
  store::EventRow row;
  row.at = note.at_ms;
  row.kind = kind;
  row.env = note.env;
  row.detail_json = json::serialize(detail);
  engine_.record_event(std::move(row));
}

void DriftJournal::write(const DriftNote& note) {
  auto& store = engine_.store();
  switch (note.kind) {
    case DriftNote::Kind::baseline: {
      auto added = store.add_drift_baseline(
          {0, note.env, note.proxy, note.at_ms, note.config_hash, note.desired_json, note.reason});
      if (!added.ok()) spdlog::error("drift baseline: {}", added.error());
      return;
    }
    case DriftNote::Kind::found: {
      std::optional<std::int64_t> detected;
      if (note.detected_ms >= 0) detected = note.detected_ms;
      auto opened = store.open_drift_incident(
          {0, note.env, note.proxy, note.at_ms, joined(note.diff), detected, std::nullopt, std::nullopt, std::nullopt});
      if (!opened.ok()) spdlog::error("drift incident: {}", opened.error());
      json::object detail{{"env", note.env}, {"proxy", note.proxy}, {"diff", json::array(note.diff.begin(), note.diff.end())}};
      detail["detected_ms"] = detected ? json::value(*detected) : json::value(nullptr);
      if (opened.ok()) detail["incident"] = opened.value();
      record(note, "drift_found", detail);
      return;
    }
    case DriftNote::Kind::resolved: {
      auto status = store.resolve_drift_incidents(note.env, note.proxy, note.at_ms, note.resolution, note.resolved_by);
      if (!status.ok()) spdlog::error("drift incident: {}", status.error);
      json::object detail{{"env", note.env}, {"proxy", note.proxy}, {"resolution", note.resolution}, {"by", note.resolved_by}};
      record(note, "drift_resolved", detail);
      return;
    }
  }
}

DriftRegistry::Sink journal_sink(boost::asio::io_context& control, DriftJournal& journal) {
  return [&control, &journal](const DriftNote& note) {
    boost::asio::post(control, [&journal, note] { journal.write(note); });
  };
}

}  // namespace switchyard::controller::drift
