#pragma once
// How the CLI shows the controller's answers to people: one function per kind of answer, each
// from the JSON of docs/controller-api.md to text. `now_ms` (Unix ms) is passed in so that
// durations of running rollouts are reproducible in tests. Pure; any thread.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace switchyard::controller::cli {

// `rollout history`: ID APP ENV VERSION STRATEGY STATE RESULT STARTED DURATION.
std::string render_history(const boost::json::value& rollouts, std::int64_t now_ms);
// `rollout status` and the verbs that answer a ROLLOUT:
// ID APP ENV BASELINE VERSION STRATEGY STATE STEP WEIGHT STARTED DURATION.
std::string render_status(const boost::json::value& rollouts, std::int64_t now_ms);
// `env list`: ENV REQUIRES PROXY REACHABLE ERROR, one row per proxy.
// The "hooks" of one rollout (GET /v1/rollouts/{id}) as a short table; "" when it ran none.
std::string render_hook_runs(const boost::json::value& rollout);
std::string render_envs(const boost::json::value& answer);
// `weights set`: PROXY RESULT ERROR, one row per proxy.
std::string render_weights_outcome(const boost::json::value& answer);
// One frame of `rollout status --watch` from GET /v1/rollouts/{id}/live.
std::string render_live(const boost::json::value& live, std::int64_t now_ms);
// "rollout 42 succeeded", "rollout 42 failed: <reason>".
std::string render_outcome(const boost::json::value& rollout);

// `--output json`: the controller's JSON text re-indented by two spaces (pretty) or with all
// whitespace outside strings removed (one line), ending in '\n'. Only whitespace changes: every
// token, numbers included, stays exactly as the controller wrote it. Expects valid JSON.
std::string render_json(std::string_view json_text, bool pretty = true);

// The rollout's id as text (the controller may send a number or a string).
std::string rollout_id(const boost::json::value& rollout);
// Whether the rollout has ended (a result or a finish time).
bool rollout_finished(const boost::json::value& rollout);

}  // namespace switchyard::controller::cli
