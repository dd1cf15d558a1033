// `switchyard analytics`: parsing (a one-word verb, --since checked by the controller's parser)
// and the table rendering of GET /v1/analytics.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "controller/cli/analytics_render.hpp"
#include "controller/cli/arg_parser.hpp"

namespace switchyard::controller::cli {
namespace {

TEST(AnalyticsCli, ParsesAppEnvAndSince) {
  const auto outcome = parse_command_line({"analytics", "shop", "--env", "prod", "--since", "7d"});
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kRun) << outcome.text;
  EXPECT_EQ(outcome.request.verb, Verb::kAnalytics);
  EXPECT_EQ(outcome.request.app, "shop");
  EXPECT_EQ(outcome.request.env, "prod");
  EXPECT_EQ(outcome.request.since, "7d");
  const auto bare = parse_command_line({"--output", "json", "analytics"});
  ASSERT_EQ(bare.kind, ParseOutcome::Kind::kRun) << bare.text;
  EXPECT_TRUE(bare.request.since.empty());
  EXPECT_EQ(parse_command_line({"analytics", "--since", "2024-05-01T12:00:00Z"}).kind, ParseOutcome::Kind::kRun);
}

TEST(AnalyticsCli, RefusesABadSince) {
  const auto outcome = parse_command_line({"analytics", "--since", "yesterday"});
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kError);
  EXPECT_EQ(outcome.text.rfind("analytics: --since: since must be", 0), 0u) << outcome.text;
  EXPECT_EQ(parse_command_line({"analytics", "a", "b"}).kind, ParseOutcome::Kind::kError);
}

TEST(AnalyticsCli, HelpNamesTheOptions) {
  const auto outcome = parse_command_line({"analytics", "--help"});
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kHelp);
  EXPECT_NE(outcome.text.find("--since D"), std::string::npos) << outcome.text;
  EXPECT_NE(general_help().find("analytics"), std::string::npos);
}

TEST(AnalyticsCli, RendersGroupsTotalsAndDrift) {
  const auto answer = boost::json::parse(R"({"since_ms":0,"until_ms":1714564800000,
    "groups":[{"app":"shop","env":"prod","deployments":3,"in_progress":1,"finished":2,"succeeded":1,"failed":1,
               "aborted":0,"success_rate":0.5,"change_failure_rate":0.5,"mean_duration_ms":90000,
               "p90_duration_ms":120000,"rollbacks":1,"restores":1,"mean_time_to_restore_ms":4000,
               "guard_trips":1,"drift_incidents":0}],
    "totals":{"deployments":3,"in_progress":1,"finished":2,"succeeded":1,"failed":1,"aborted":0,
              "success_rate":0.5,"change_failure_rate":0.5,"mean_duration_ms":90000,"p90_duration_ms":120000,
              "rollbacks":1,"restores":1,"mean_time_to_restore_ms":null,"guard_trips":1,"drift_incidents":2},
    "environments":[{"env":"prod","drift_incidents":2,"drift_active":1}]})");
  EXPECT_EQ(render_analytics(answer),
            "all history until 2024-05-01T12:00:00Z\n"
            "APP    ENV   DEPLOYS  OK  FAILED  ABORTED  RUNNING  SUCCESS  CFR     MEAN   P90    ROLLBACKS  MTTR  GUARD  "
            "DRIFT\n"
            "shop   prod  3        1   1       0        1        50.00%   50.00%  1m30s  2m00s  1          4s    1      "
            "0\n"
            "TOTAL        3        1   1       0        1        50.00%   50.00%  1m30s  2m00s  1          -     1      "
            "2\n"
            "\n"
            "ENV   DRIFT INCIDENTS  IN DRIFT NOW\n"
            "prod  2                1\n");
  EXPECT_EQ(render_analytics(boost::json::parse(R"({"since_ms":1714564800000,"until_ms":1714564800000,
    "groups":[],"totals":{},"environments":[]})")),
            "since 2024-05-01T12:00:00Z until 2024-05-01T12:00:00Z\nno rollouts\n");
}

}  // namespace
}  // namespace switchyard::controller::cli
