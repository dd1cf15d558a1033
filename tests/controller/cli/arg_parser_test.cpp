#include "controller/cli/arg_parser.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace switchyard::controller::cli {
namespace {

using Kind = ParseOutcome::Kind;

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

CliRequest parse_ok(const std::string& line) {
  const ParseOutcome outcome = parse_command_line(words(line));
  EXPECT_EQ(outcome.kind, Kind::kRun) << line << " → " << outcome.text;
  return outcome.request;
}

TEST(ArgParser, RolloutStartWithEverything) {
  const CliRequest request = parse_ok(
      "--controller http://10.0.0.1:9000 rollout start shop --env staging --version v2 --force "
      "--reason hotfix --output json");
  EXPECT_EQ(request.verb, Verb::kRolloutStart);
  EXPECT_EQ(request.global.controller, "http://10.0.0.1:9000");
  EXPECT_EQ(request.global.output, OutputFormat::kJson);
  EXPECT_EQ(request.app, "shop");
  EXPECT_EQ(request.env, "staging");
  EXPECT_EQ(request.version, "v2");
  EXPECT_TRUE(request.force);
  EXPECT_EQ(request.reason, "hotfix");
}

TEST(ArgParser, DefaultsAndEqualsForm) {
  const CliRequest request = parse_ok("rollout start shop --env=prod --version=v3");
  EXPECT_EQ(request.global.controller, kDefaultControllerUrl);
  EXPECT_EQ(request.global.output, OutputFormat::kTable);
  EXPECT_TRUE(request.global.token_file.empty());
  EXPECT_EQ(request.env, "prod");
  EXPECT_EQ(request.version, "v3");
  EXPECT_FALSE(request.force);
}

TEST(ArgParser, ManualVerbs) {
  const std::pair<const char*, Verb> cases[] = {{"promote", Verb::kRolloutPromote},
                                                {"pause", Verb::kRolloutPause},
                                                {"resume", Verb::kRolloutResume},
                                                {"abort", Verb::kRolloutAbort}};
  for (const auto& [word, verb] : cases) {
    const CliRequest request =
        parse_ok(std::string("--token-file /t rollout ") + word + " shop --env staging");
    EXPECT_EQ(request.verb, verb) << word;
    EXPECT_EQ(request.app, "shop");
    EXPECT_EQ(request.env, "staging");
    EXPECT_EQ(request.global.token_file, "/t");
  }
}

TEST(ArgParser, StatusAndHistory) {
  CliRequest request = parse_ok("rollout status");
  EXPECT_EQ(request.verb, Verb::kRolloutStatus);
  EXPECT_TRUE(request.app.empty());
  EXPECT_FALSE(request.watch);

  request = parse_ok("rollout status shop --env staging --watch --interval-ms 250 --max-seconds 30");
  EXPECT_TRUE(request.watch);
  EXPECT_EQ(request.interval, std::chrono::milliseconds(250));
  EXPECT_EQ(request.max_seconds, 30);

  request = parse_ok("rollout history --limit 5");
  EXPECT_EQ(request.verb, Verb::kRolloutHistory);
  EXPECT_EQ(request.limit, 5);
  EXPECT_EQ(parse_ok("rollout history shop").limit, 20);
}

TEST(ArgParser, WeightsSetKeepsOrder) {
  const CliRequest request = parse_ok("weights set shop stable=90 canary=10 --env production");
  EXPECT_EQ(request.verb, Verb::kWeightsSet);
  EXPECT_EQ(request.route, "shop");
  EXPECT_EQ(request.env, "production");
  const std::vector<std::pair<std::string, std::uint32_t>> expected = {{"stable", 90},
                                                                       {"canary", 10}};
  EXPECT_EQ(request.weights, expected);
}

TEST(ArgParser, EnvList) { EXPECT_EQ(parse_ok("env list").verb, Verb::kEnvList); }

TEST(ArgParser, SecretsVerbs) {
  auto request = parse_ok("secrets set DB_PASSWORD --from-file pw.txt");
  EXPECT_EQ(request.verb, Verb::kSecretsSet);
  EXPECT_EQ(request.app, "DB_PASSWORD");
  EXPECT_EQ(request.value_file, "pw.txt");
  EXPECT_FALSE(request.has_secret_value);
  request = parse_ok("secrets rotate DB_PASSWORD --value=s3cret");
  EXPECT_EQ(request.verb, Verb::kSecretsRotate);
  EXPECT_TRUE(request.has_secret_value);
  EXPECT_EQ(request.secret_value, "s3cret");
  EXPECT_EQ(parse_ok("secrets set DB_PASSWORD").value_file, "");  // stdin
  EXPECT_EQ(parse_ok("secrets get DB_PASSWORD").verb, Verb::kSecretsGet);
  EXPECT_EQ(parse_ok("secrets list").verb, Verb::kSecretsList);
  EXPECT_EQ(parse_ok("secrets history DB_PASSWORD").verb, Verb::kSecretsHistory);
  request = parse_ok("secrets rekey --new-key-file new.key");
  EXPECT_EQ(request.verb, Verb::kSecretsRekey);
  EXPECT_EQ(request.new_key_file, "new.key");
  for (const auto& [line, message] : std::vector<std::pair<std::string, std::string>>{
           {"secrets get", "secrets get: missing NAME"},
           {"secrets set A --value x --from-file f", "secrets set: --value and --from-file exclude each other"},
           {"secrets rekey", "secrets rekey: missing --new-key-file F"}}) {
    const auto outcome = parse_command_line(words(line));
    EXPECT_EQ(outcome.kind, Kind::kError) << line;
    EXPECT_EQ(outcome.text, message) << line;
  }
}

TEST(ArgParser, HelpAndVersion) {
  ParseOutcome outcome = parse_command_line(words("--help"));
  EXPECT_EQ(outcome.kind, Kind::kHelp);
  EXPECT_NE(outcome.text.find("rollout start"), std::string::npos);
  outcome = parse_command_line(words("rollout abort --help"));
  EXPECT_EQ(outcome.kind, Kind::kHelp);
  EXPECT_EQ(outcome.text.rfind("usage: switchyard [global options] rollout abort APP --env ENV\n", 0),
            0u)
      << outcome.text;
  outcome = parse_command_line(words("weights set -h"));
  EXPECT_NE(outcome.text.find("VERSION=WEIGHT"), std::string::npos);
  EXPECT_EQ(parse_command_line(words("--version")).kind, Kind::kVersion);
  EXPECT_EQ(parse_command_line(words("env list --version")).kind, Kind::kVersion);
  // Within `rollout start`, --version is the version to roll out.
  EXPECT_EQ(parse_command_line(words("rollout start a --env e --version 1")).kind, Kind::kRun);
}

struct BadLine {
  const char* line;
  const char* error;
};

TEST(ArgParser, BadLinesGiveExactErrors) {
  const BadLine cases[] = {
      {"", "missing a command (see switchyard --help)"},
      {"deploy shop", "unknown command 'deploy' (see switchyard --help)"},
      {"rollout", "rollout: missing a subcommand (see switchyard --help)"},
      {"rollout begin", "rollout: unknown subcommand 'begin' (see switchyard --help)"},
      {"rollout start shop --version v2", "rollout start: missing --env ENV"},
      {"rollout start shop --env staging", "rollout start: missing --version V"},
      {"rollout start --env staging --version v2", "rollout start: missing APP"},
      {"rollout start shop extra --env s --version v", "rollout start: unexpected argument 'extra'"},
      {"rollout start shop --env", "rollout start: --env needs a value"},
      {"rollout start shop --colour red",
       "rollout start: unknown option --colour (see switchyard rollout start --help)"},
      {"rollout start shop --force=yes --env s --version v", "rollout start: --force takes no value"},
      {"--env staging rollout start shop", "unknown option --env (see switchyard --help)"},
      {"rollout promote shop", "rollout promote: missing --env ENV"},
      {"rollout abort --env staging", "rollout abort: missing APP"},
      {"rollout status --watch", "rollout status: --watch needs APP"},
      {"rollout status shop --interval-ms 500", "rollout status: --interval-ms needs --watch"},
      {"rollout status shop --watch --interval-ms 5",
       "rollout status: --interval-ms: must be an integer 100..60000"},
      {"rollout status shop --watch --max-seconds x",
       "rollout status: --max-seconds: must be an integer 1..86400"},
      {"rollout history --limit 0", "rollout history: --limit: must be an integer 1..1000"},
      {"weights set shop --env s", "weights set: missing VERSION=WEIGHT"},
      {"weights set --env s", "weights set: missing ROUTE"},
      {"weights set shop stable --env s", "weights set: 'stable' is not VERSION=WEIGHT"},
      {"weights set shop =5 --env s", "weights set: '=5' is not VERSION=WEIGHT"},
      {"weights set shop a=-1 --env s",
       "weights set: 'a=-1': the weight must be an integer 0..1000000"},
      {"weights set shop a=1 a=2 --env s", "weights set: version 'a' is given twice"},
      {"weights set shop a=1 b=2", "weights set: missing --env ENV"},
      {"env list extra", "env list: unexpected argument 'extra'"},
      {"--output yaml env list", "--output: must be table or json, not 'yaml'"},
      {"--controller ftp://x env list", "--controller: 'ftp://x' is not an http:// URL"},
      {"--controller http://host:99999 env list",
       "--controller: 'http://host:99999': the port must be an integer 1..65535"},
      {"env list --controller", "env list: --controller needs a value"},
  };
  for (const auto& bad : cases) {
    const ParseOutcome outcome = parse_command_line(words(bad.line));
    EXPECT_EQ(outcome.kind, Kind::kError) << bad.line;
    EXPECT_EQ(outcome.text, bad.error) << bad.line;
  }
}

}  // namespace
}  // namespace switchyard::controller::cli
