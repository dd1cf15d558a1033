#pragma once
// A scripted deployment history written through StateStore with controlled times, and the
// figures docs/analytics.md defines for it, worked out by hand. Shared by the unit tests
// (tests/controller/analytics) and the end-to-end ones (tests/controller/engine). Test thread.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "controller/store/state_store.hpp"

namespace switchyard::test::history {

inline constexpr std::int64_t kSecond = 1000;
inline constexpr std::int64_t kMinute = 60 * kSecond;
inline constexpr std::int64_t kHour = 60 * kMinute;

struct Script {
  controller::store::StateStore& store;
  std::int64_t t0;

  std::int64_t start(const std::string& app, const std::string& env, std::int64_t at) {
    controller::store::RolloutRow row;
    row.app = app;
    row.env = env;
    row.version = "v2";
    row.baseline_version = "v1";
    row.strategy = "canary";
    row.state = "deploying";
    row.started_at = t0 + at;
    auto id = store.create_rollout(row);
    EXPECT_TRUE(id.ok()) << id.error();
    return id.value();
  }
  void state(std::int64_t id, const std::string& name, std::int64_t weight, std::int64_t at) {
    auto status = store.update_rollout_state(id, name, 0, weight, "", t0 + at);
    EXPECT_TRUE(status.ok()) << status.error;
  }
  void finish(std::int64_t id, const char* result, std::int64_t at) {
    auto status = store.finish_rollout(id, result, "scripted", t0 + at);
    EXPECT_TRUE(status.ok()) << status.error;
  }
  void event(const std::string& kind, const std::string& app, const std::string& env,
             std::optional<std::int64_t> rollout, const std::string& detail, std::int64_t at) {
    controller::store::EventRow row;
    row.at = t0 + at;
    row.kind = kind;
    row.app = app;
    row.env = env;
    row.rollout_id = rollout;
    row.detail_json = detail;
    auto seq = store.append_event(row);
    EXPECT_TRUE(seq.ok()) << seq.error();
  }
};

// Writes the history. Everything happens within [t0, t0 + 7h]; with `in_progress`, shop/staging
// also has a rollout still running (left out when a real controller will open the file, since it
// would resume it).
//
// shop/prod  R1 succeeded 120 s; R2 guard trip +40 s, rolling_back +41 s, weight 0 +43 s, failed
//            50 s (restore 3 s); R3 rolling_back +100 s, weight 0 +105 s, failed 110 s (restore
//            5 s); R4 rolling_back +20 s, weight 0 +22 s, aborted 30 s; R5 succeeded 200 s;
//            R6 failed 15 s without a rollback; one guard trip with no rollout at t0+6h.
// shop/staging R7 succeeded 60 s; (R8 running since t0+7h).
// cart/prod  R9 guard trip +10 s, rolling_back +12 s (never at weight 0), failed 25 s (restore 15 s).
// drift prod: A found 1h, A found again 1h05 (same incident), A resolved 2h, A found 3h,
//             B found 3h01, B resolved 4h: 3 incidents, A in drift at the end (env in detail only).
// drift staging: C found 20m (app shop, env column), C resolved 30m: 1 incident, none active.
inline void write(controller::store::StateStore& store, std::int64_t t0, bool in_progress) {
  Script s{store, t0};
  const auto r1 = s.start("shop", "prod", 0);
  s.state(r1, "step", 50, 60 * kSecond);
  s.finish(r1, "succeeded", 120 * kSecond);
  const auto r7 = s.start("shop", "staging", 10 * kMinute);
  s.finish(r7, "succeeded", 10 * kMinute + 60 * kSecond);
  s.event("drift_found", "shop", "staging", std::nullopt, R"({"env":"staging","proxy":"C","diff":[]})", 20 * kMinute);
  s.event("drift_resolved", "shop", "staging", std::nullopt, R"({"env":"staging","proxy":"C"})", 30 * kMinute);
  const auto r9 = s.start("cart", "prod", 30 * kMinute);
  s.event("guard_tripped", "cart", "prod", r9, R"({"route":"cart","reason":"errors"})", 30 * kMinute + 10 * kSecond);
  s.state(r9, "rolling_back", 100, 30 * kMinute + 12 * kSecond);
  s.finish(r9, "failed", 30 * kMinute + 25 * kSecond);
  s.event("drift_found", "", "", std::nullopt, R"({"env":"prod","proxy":"A","diff":[]})", kHour);
  const auto r2 = s.start("shop", "prod", kHour);
  s.state(r2, "step", 50, kHour + 30 * kSecond);
  s.event("guard_tripped", "shop", "prod", r2, R"({"route":"shop","reason":"errors"})", kHour + 40 * kSecond);
  s.state(r2, "rolling_back", 50, kHour + 41 * kSecond);
  s.state(r2, "rolling_back", 0, kHour + 43 * kSecond);
  s.finish(r2, "failed", kHour + 50 * kSecond);
  s.event("drift_found", "", "", std::nullopt, R"({"env":"prod","proxy":"A","diff":[]})", kHour + 5 * kMinute);
  s.event("drift_resolved", "", "", std::nullopt, R"({"env":"prod","proxy":"A"})", 2 * kHour);
  const auto r3 = s.start("shop", "prod", 2 * kHour);
  s.state(r3, "step", 20, 2 * kHour + 50 * kSecond);
  s.state(r3, "rolling_back", 20, 2 * kHour + 100 * kSecond);
  s.state(r3, "rolling_back (paused)", 0, 2 * kHour + 105 * kSecond);
  s.finish(r3, "failed", 2 * kHour + 110 * kSecond);
  const auto r4 = s.start("shop", "prod", 3 * kHour);
  s.event("drift_found", "", "", std::nullopt, R"({"env":"prod","proxy":"A","diff":[]})", 3 * kHour);
  s.event("drift_found", "", "", std::nullopt, R"({"env":"prod","proxy":"B","diff":[]})", 3 * kHour + kMinute);
  s.state(r4, "step", 50, 3 * kHour + 10 * kSecond);
  s.state(r4, "rolling_back", 50, 3 * kHour + 20 * kSecond);
  s.state(r4, "rolling_back", 0, 3 * kHour + 22 * kSecond);
  s.finish(r4, "aborted", 3 * kHour + 30 * kSecond);
  const auto r5 = s.start("shop", "prod", 4 * kHour);
  s.event("drift_resolved", "", "", std::nullopt, R"({"env":"prod","proxy":"B"})", 4 * kHour);
  s.finish(r5, "succeeded", 4 * kHour + 200 * kSecond);
  const auto r6 = s.start("shop", "prod", 5 * kHour);
  s.finish(r6, "failed", 5 * kHour + 15 * kSecond);
  s.event("guard_tripped", "shop", "prod", std::nullopt, R"({"route":"shop","reason":"errors"})", 6 * kHour);
  if (in_progress) s.start("shop", "staging", 7 * kHour);
}

}  // namespace switchyard::test::history
