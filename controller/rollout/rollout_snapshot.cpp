#include "controller/rollout/rollout_spec.hpp"

#include <type_traits>

namespace switchyard::controller::rollout {
namespace {

// Reads one field of the snapshot; each field type has its own overload.
bool read(const boost::json::value& v, std::string& out) {
  if (!v.is_string()) return false;
  out = std::string(v.as_string());
  return true;
}
bool read(const boost::json::value& v, bool& out) {
  if (!v.is_bool()) return false;
  out = v.as_bool();
  return true;
}
bool read(const boost::json::value& v, boost::json::object& out) {
  if (!v.is_object()) return false;
  out = v.as_object();
  return true;
}
template <class Int>
  requires std::is_integral_v<Int>
bool read(const boost::json::value& v, Int& out) {
  if (v.is_int64() && v.as_int64() >= 0) {
    out = static_cast<Int>(v.as_int64());
    return true;
  }
  if (v.is_uint64()) {
    out = static_cast<Int>(v.as_uint64());
    return true;
  }
  return false;
}

template <class T>
bool field(const boost::json::object& json, std::string_view key, T& out, std::string& error) {
  const auto* v = json.if_contains(key);
  if (v == nullptr || !read(*v, out)) {
    error = "snapshot field \"" + std::string(key) + "\" missing or of the wrong type";
    return false;
  }
  return true;
}

}  // namespace

boost::json::object to_json(const RolloutSnapshot& s) {
  return {{"kind", s.kind},
          {"phase", s.phase},
          {"rollback_from", s.rollback_from},
          {"rollback_index", s.rollback_index},
          {"step_index", s.step_index},
          {"weight", s.weight},
          {"paused", s.paused},
          {"held", s.held},
          {"inconclusive_count", s.inconclusive_count},
          {"pending_action_id", s.pending_action_id},
          {"next_action_id", s.next_action_id},
          {"healthy_new", s.healthy_new},
          {"replaced", s.replaced},
          {"deadline_ms", s.deadline_ms},
          {"mark_ms", s.mark_ms},
          {"result", s.result},
          {"reason", s.reason},
          {"figures", s.figures}};
}

std::optional<RolloutSnapshot> snapshot_from_json(const boost::json::object& json, std::string& error) {
  RolloutSnapshot s;
  const bool ok = field(json, "kind", s.kind, error) && field(json, "phase", s.phase, error) &&
                  field(json, "rollback_from", s.rollback_from, error) &&
                  field(json, "rollback_index", s.rollback_index, error) &&
                  field(json, "step_index", s.step_index, error) && field(json, "weight", s.weight, error) &&
                  field(json, "paused", s.paused, error) && field(json, "held", s.held, error) &&
                  field(json, "inconclusive_count", s.inconclusive_count, error) &&
                  field(json, "pending_action_id", s.pending_action_id, error) &&
                  field(json, "next_action_id", s.next_action_id, error) &&
                  field(json, "healthy_new", s.healthy_new, error) && field(json, "replaced", s.replaced, error) &&
                  field(json, "deadline_ms", s.deadline_ms, error) && field(json, "mark_ms", s.mark_ms, error) &&
                  field(json, "result", s.result, error) && field(json, "reason", s.reason, error) &&
                  field(json, "figures", s.figures, error);
  if (!ok) return std::nullopt;
  return s;
}

}  // namespace switchyard::controller::rollout
