// The grammar of rollout promote-env, rollout start --config-only, config show and instances.
#include <gtest/gtest.h>

#include <sstream>

#include "controller/cli/arg_parser.hpp"

namespace switchyard::controller::cli {
namespace {

ParseOutcome parse(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> args;
  for (std::string word; in >> word;) args.push_back(word);
  return parse_command_line(args);
}

TEST(ConfigVerbs, PromoteEnv) {
  const auto outcome = parse("rollout promote-env shop --from staging --to production --version v2 --force --reason r");
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kRun) << outcome.text;
  EXPECT_EQ(outcome.request.verb, Verb::kRolloutPromoteEnv);
  EXPECT_EQ(outcome.request.app, "shop");
  EXPECT_EQ(outcome.request.from, "staging");
  EXPECT_EQ(outcome.request.to, "production");
  EXPECT_EQ(outcome.request.version, "v2");
  EXPECT_TRUE(outcome.request.force);
  EXPECT_EQ(parse("rollout promote-env shop --to production").text, "rollout promote-env: missing --from ENV");
  EXPECT_EQ(parse("rollout promote-env shop --from staging").text, "rollout promote-env: missing --to ENV");
}

TEST(ConfigVerbs, ConfigOnlyStart) {
  const auto outcome = parse("rollout start shop --env staging --config-only");
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kRun) << outcome.text;
  EXPECT_TRUE(outcome.request.config_only);
  EXPECT_TRUE(outcome.request.version.empty());
  EXPECT_EQ(parse("rollout start shop --env staging --config-only --version v2").text,
            "rollout start: --config-only takes no --version");
  EXPECT_EQ(parse("rollout start shop --env staging").text, "rollout start: missing --version V");
}

TEST(ConfigVerbs, ConfigShowAndInstances) {
  auto outcome = parse("config show shop --env staging");
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kRun) << outcome.text;
  EXPECT_EQ(outcome.request.verb, Verb::kConfigShow);
  EXPECT_EQ(parse("config show shop").text, "config show: missing --env ENV");
  outcome = parse("instances");
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kRun) << outcome.text;
  EXPECT_EQ(outcome.request.verb, Verb::kInstances);
  outcome = parse("instances shop --env production");
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kRun) << outcome.text;
  EXPECT_EQ(outcome.request.app, "shop");
  EXPECT_EQ(outcome.request.env, "production");
  EXPECT_EQ(parse("config").kind, ParseOutcome::Kind::kError);
}

}  // namespace
}  // namespace switchyard::controller::cli
