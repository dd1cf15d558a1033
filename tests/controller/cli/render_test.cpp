#include "controller/cli/render.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "controller/cli/text_table.hpp"

namespace switchyard::controller::cli {
namespace {

namespace json = boost::json;

// 2024-05-01T12:00:00Z, and 2m05s later.
constexpr std::int64_t kStarted = 1714564800000;
constexpr std::int64_t kNow = kStarted + 125000;

const char* kRunning = R"({"id":7,"app":"shop","env":"staging","version":"v2",
  "baseline_version":"v1","strategy":"canary","state":"progressing","step_index":1,"weight":10,
  "paused":false,"started_ms":1714564800000,"updated_ms":1714564810000,"finished_ms":null,
  "result":null,"reason":"","forced_by":null,"forced_reason":null})";
const char* kFinished = R"({"id":6,"app":"shop","env":"staging","version":"v1",
  "baseline_version":"v0","strategy":"blue-green","state":"finished","step_index":0,"weight":100,
  "paused":false,"started_ms":1714561200000,"updated_ms":1714561265000,
  "finished_ms":1714561265000,"result":"succeeded","reason":"","forced_by":null,
  "forced_reason":null})";

json::value rollouts(std::initializer_list<const char*> items) {
  json::array array;
  for (const char* item : items) array.push_back(json::parse(item));
  return json::object{{"rollouts", array}};
}

TEST(Render, HistoryTable) {
  const std::string expected =
      "ID  APP   ENV      VERSION  STRATEGY    STATE        RESULT     STARTED               DURATION\n"
      "7   shop  staging  v2       canary      progressing  -          2024-05-01T12:00:00Z  2m05s\n"
      "6   shop  staging  v1       blue-green  finished     succeeded  2024-05-01T11:00:00Z  1m05s\n";
  EXPECT_EQ(render_history(rollouts({kRunning, kFinished}), kNow), expected);
  EXPECT_EQ(render_history(rollouts({}), kNow), "no rollouts\n");
}

TEST(Render, StatusTableShowsPauseStepAndWeight) {
  json::value paused = json::parse(kRunning);
  paused.as_object()["paused"] = true;
  paused.as_object()["id"] = "r-7";  // a string id is shown as it is
  const std::string expected =
      "ID   APP   ENV      BASELINE  VERSION  STRATEGY  STATE                 STEP  WEIGHT  STARTED  "
      "             DURATION\n"
      "r-7  shop  staging  v1        v2       canary    progressing (paused)  1     10%     "
      "2024-05-01T12:00:00Z  2m05s\n";
  EXPECT_EQ(render_status(json::object{{"rollouts", json::array{paused}}}, kNow), expected);
}

TEST(Render, LiveFrame) {
  json::value live = json::object{
      {"rollout", json::parse(kRunning)},
      {"weights", json::parse(R"({"v1":90,"v2":10})")},
      {"versions", json::parse(R"({"v1":{"requests":1200,"errors":3,"error_rate":0.0025,"p99_ms":45},
                                   "v2":{"requests":130,"errors":0,"error_rate":0.0,"p99_ms":52.5}})")}};
  const std::string expected =
      "rollout 7  shop in staging  v1 -> v2  (canary)\n"
      "state     progressing, step 1, weight 10%\n"
      "started   2024-05-01T12:00:00Z (2m05s)\n"
      "weights   v1  [####################################....]  90\n"
      "          v2  [####....................................]  10\n"
      "\n"
      "VERSION  REQUESTS  ERRORS  ERROR RATE  P99\n"
      "v1       1200      3       0.25%       45 ms\n"
      "v2       130       0       0.00%       52.5 ms\n";
  EXPECT_EQ(render_live(live, kNow), expected);
}

TEST(Render, LiveFrameOfAFinishedRolloutWithoutTraffic) {
  json::value live = json::object{{"rollout", json::parse(kFinished)},
                                  {"weights", json::parse(R"({"v1":100})")},
                                  {"versions", json::object{}}};
  const std::string expected =
      "rollout 6  shop in staging  v0 -> v1  (blue-green)\n"
      "state     finished, step 0, weight 100%, result succeeded\n"
      "started   2024-05-01T11:00:00Z (1m05s)\n"
      "weights   v1  [########################################]  100\n"
      "\n"
      "no traffic figures yet\n";
  EXPECT_EQ(render_live(live, kNow), expected);
}

TEST(Render, EnvsOneRowPerProxy) {
  const json::value answer = json::parse(R"({"environments":[
    {"name":"staging","requires":[],"proxies":[{"admin":"127.0.0.1:9901","reachable":true,"error":""}]},
    {"name":"production","requires":["staging"],"proxies":[
      {"admin":"10.0.0.5:9901","reachable":false,"error":"connection refused"},
      {"admin":"10.0.0.6:9901","reachable":true,"error":null}]}]})");
  const std::string expected =
      "ENV         REQUIRES  PROXY           REACHABLE  ERROR\n"
      "staging     -         127.0.0.1:9901  yes        -\n"
      "production  staging   10.0.0.5:9901   no         connection refused\n"
      "production  staging   10.0.0.6:9901   yes        -\n";
  EXPECT_EQ(render_envs(answer), expected);
}

TEST(Render, WeightsOutcome) {
  const json::value answer = json::parse(R"({"proxies":[
    {"admin":"127.0.0.1:9901","ok":true,"error":""},
    {"admin":"127.0.0.1:9902","ok":false,"error":"timed out"}]})");
  const std::string expected =
      "PROXY           RESULT  ERROR\n"
      "127.0.0.1:9901  ok      -\n"
      "127.0.0.1:9902  failed  timed out\n";
  EXPECT_EQ(render_weights_outcome(answer), expected);
}

TEST(Render, OutcomeLine) {
  EXPECT_EQ(render_outcome(json::parse(kFinished)), "rollout 6 succeeded\n");
  EXPECT_EQ(render_outcome(json::parse(R"({"id":8,"result":"failed","reason":"error rate 5% > 1%"})")),
            "rollout 8 failed: error rate 5% > 1%\n");
  EXPECT_TRUE(rollout_finished(json::parse(kFinished)));
  EXPECT_FALSE(rollout_finished(json::parse(kRunning)));
}

TEST(Render, JsonIsReindentedWithEveryTokenKept) {
  const std::string body = R"({"b":[1,"x, {y}: \"z\""],"a":0.0025, "c":{},"d":null,"e":[ ]})";
  const std::string expected =
      "{\n"
      "  \"b\": [\n"
      "    1,\n"
      "    \"x, {y}: \\\"z\\\"\"\n"
      "  ],\n"
      "  \"a\": 0.0025,\n"
      "  \"c\": {},\n"
      "  \"d\": null,\n"
      "  \"e\": []\n"
      "}\n";
  const std::string text = render_json(body);
  EXPECT_EQ(text, expected);
  EXPECT_EQ(json::parse(text), json::parse(body));
  EXPECT_EQ(render_json(text, false),
            "{\"b\":[1,\"x, {y}: \\\"z\\\"\"],\"a\":0.0025,\"c\":{},\"d\":null,\"e\":[]}\n");
}

TEST(TextTable, Formatting) {
  EXPECT_EQ(format_duration_ms(999), "0s");
  EXPECT_EQ(format_duration_ms(59000), "59s");
  EXPECT_EQ(format_duration_ms(65000), "1m05s");
  EXPECT_EQ(format_duration_ms(7380000), "2h03m");
  EXPECT_EQ(format_duration_ms(273600000), "3d04h");
  EXPECT_EQ(format_duration_ms(-5), "0s");
  EXPECT_EQ(format_time_ms(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_percent(0.0123), "1.23%");
}

}  // namespace
}  // namespace switchyard::controller::cli
