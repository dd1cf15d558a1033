// `switchyard drift` grammar: bare `drift` is `drift status`; `drift accept` needs --env.
#include <gtest/gtest.h>

#include "controller/cli/arg_parser.hpp"

namespace switchyard::controller::cli {
namespace {

ParseOutcome parse(std::vector<std::string> words) { return parse_command_line(words); }

TEST(DriftArgs, BareDriftIsStatus) {
  auto outcome = parse({"drift", "--env", "prod", "--report"});
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kRun) << outcome.text;
  EXPECT_EQ(outcome.request.verb, Verb::kDriftStatus);
  EXPECT_EQ(outcome.request.env, "prod");
  EXPECT_TRUE(outcome.request.report);
  EXPECT_EQ(parse({"drift"}).request.verb, Verb::kDriftStatus);
  EXPECT_EQ(parse({"drift", "status"}).request.verb, Verb::kDriftStatus);
}

TEST(DriftArgs, AcceptNeedsEnv) {
  auto outcome = parse({"drift", "accept", "--env", "prod", "--proxy", "127.0.0.1:9901"});
  ASSERT_EQ(outcome.kind, ParseOutcome::Kind::kRun) << outcome.text;
  EXPECT_EQ(outcome.request.verb, Verb::kDriftAccept);
  EXPECT_EQ(outcome.request.proxy, "127.0.0.1:9901");
  auto missing = parse({"drift", "accept"});
  EXPECT_EQ(missing.kind, ParseOutcome::Kind::kError);
  EXPECT_NE(missing.text.find("missing --env ENV"), std::string::npos) << missing.text;
  EXPECT_EQ(parse({"drift", "bogus"}).kind, ParseOutcome::Kind::kError);
}

}  // namespace
}  // namespace switchyard::controller::cli
