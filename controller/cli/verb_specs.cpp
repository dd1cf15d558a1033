#include "controller/cli/verb_specs.hpp"

#include <sstream>

namespace switchyard::controller::cli {
namespace {

constexpr OptionSpec kEnvRequired{"--env", "ENV", "the environment (required)"};
constexpr OptionSpec kEnvFilter{"--env", "ENV", "only this environment"};
constexpr OptionSpec kFromFile{"--from-file", "F", "read the value from file F (exact bytes)"};
constexpr OptionSpec kValue{"--value", "V", "the value itself (visible in process listings: prefer --from-file or stdin)"};

std::vector<VerbSpec> make_specs() {
  const auto manual = [](Verb verb, std::string_view name, std::string_view summary) {
    return VerbSpec{verb, name, "APP --env ENV", summary, {"APP"}, 1, {kEnvRequired}};
  };
  return {
      {Verb::kRolloutStart, "rollout start", "APP --env ENV (--version V | --config-only) [--force] [--reason TEXT]",
       "Starts a rollout of version V of APP in ENV, with the app's strategy.", {"APP"}, 1,
       {kEnvRequired,
        {"--version", "V", "the version to roll out (required unless --config-only)"},
        {"--config-only", "", "roll out the current configuration with the live version's code"},
        {"--force", "", "start even if `requires` or `depends_on` are not met"},
        {"--reason", "TEXT", "why (recorded with the rollout; expected with --force)"}}},
      {Verb::kRolloutStatus, "rollout status",
       "[APP] [--env ENV] [--watch [--interval-ms N] [--max-seconds N]]",
       "Shows the active rollouts (or APP's latest one); --watch follows one live until it ends.",
       {"APP"}, 0,
       {kEnvFilter,
        {"--watch", "", "redraw the live view of APP's rollout until it finishes (needs APP)"},
        {"--interval-ms", "N", "--watch: redraw period in milliseconds (default 1000)"},
        {"--max-seconds", "N", "--watch: give up after N seconds (exit 1 if still running)"}}},
      manual(Verb::kRolloutPromote, "rollout promote",
             "Skips the current step's wait and analysis of APP's active rollout in ENV."),
      manual(Verb::kRolloutPause, "rollout pause", "Pauses APP's active rollout in ENV."),
      manual(Verb::kRolloutResume, "rollout resume", "Resumes APP's paused rollout in ENV."),
      manual(Verb::kRolloutAbort, "rollout abort",
             "Aborts APP's active rollout in ENV: traffic goes back to the baseline at once."),
      {Verb::kRolloutHistory, "rollout history", "[APP] [--env ENV] [--limit N]",
       "Lists past and current rollouts, newest first.", {"APP"}, 0,
       {kEnvFilter, {"--limit", "N", "at most N rollouts, 1..1000 (default 20)"}}},
      {Verb::kWeightsSet, "weights set", "ROUTE VERSION=WEIGHT... --env ENV",
       "Sets the route's weights on every proxy of ENV and shows each proxy's outcome.",
       {"ROUTE", "VERSION=WEIGHT..."}, 2, {kEnvRequired}},
      {Verb::kEnvList, "env list", "",
       "Lists the environments, what they require and whether their proxies answer.", {}, 0, {}},
      {Verb::kAnalytics, "analytics", "[APP] [--env ENV] [--since D]",
       "Deployment figures per app and environment: success and change-failure rates, durations, "
       "rollbacks and time to restore, guard trips, drift.", {"APP"}, 0,
       {kEnvFilter, {"--since", "D", "from D: 7d, 24h, 30m, 45s ago or an RFC 3339 date/time (default: all)"}}},
      {Verb::kRolloutPromoteEnv, "rollout promote-env", "APP --from ENV --to ENV [--version V] [--force --reason TEXT]",
       "Starts a rollout in --to of the version that last succeeded in --from (or --version V).", {"APP"}, 1,
       {{"--from", "ENV", "the environment the version comes from (required)"},
        {"--to", "ENV", "the environment to roll it out in (required)"},
        {"--version", "V", "this version instead of the last success (must have succeeded in --from)"},
        {"--force", "", "start although a gate (--from, requires, depends_on) is not met"},
        {"--reason", "TEXT", "why (recorded with the rollout; expected with --force)"}}},
      {Verb::kConfigShow, "config show", "APP --env ENV",
       "Shows the configuration APP's instances get in ENV: keys, values, sources and hash.", {"APP"}, 1,
       {kEnvRequired}},
      {Verb::kInstances, "instances", "[APP] [--env ENV]",
       "Lists the live instances with their version, pid, port and configuration hash.", {"APP"}, 0,
       {kEnvFilter}},
      {Verb::kDriftStatus, "drift status", "[--env ENV] [--report]",
       "Shows each proxy's drift state (`switchyard drift` for short); --report lists every incident.", {}, 0,
       {kEnvFilter, {"--report", "", "the compliance report: every drift, when found, how and when it ended"}}},
      {Verb::kDriftAccept, "drift accept", "--env ENV [--proxy HOST:PORT]",
       "Adopts the proxies' actual state as the new desired baseline (recorded with who accepted it).", {}, 0,
       {kEnvRequired, {"--proxy", "HOST:PORT", "only this proxy of ENV"}}},
      {Verb::kSecretsSet, "secrets set", "NAME [--from-file F | --value V]",
       "Stores a new version of secret NAME; the value comes from F, V, or else standard input.",
       {"NAME"}, 1, {kFromFile, kValue}},
      {Verb::kSecretsGet, "secrets get", "NAME", "Prints the current value of secret NAME (audited).", {"NAME"}, 1, {}},
      {Verb::kSecretsList, "secrets list", "", "Lists the secrets with their current versions (never values).", {}, 0,
       {}},
      {Verb::kSecretsRotate, "secrets rotate", "NAME [--from-file F | --value V]",
       "Stores a new version of an existing secret and rolls the instances that use it.", {"NAME"}, 1,
       {kFromFile, kValue}},
      {Verb::kSecretsHistory, "secrets history", "NAME", "Lists the versions of secret NAME and its audit records.",
       {"NAME"}, 1, {}},
      {Verb::kSecretsRekey, "secrets rekey", "--new-key-file F",
       "Re-encrypts every secret under the key in F (the controller must be able to read F).", {}, 0,
       {{"--new-key-file", "F", "the new key: 32 raw bytes or 64 hex characters, mode 0600 (required)"}}},
  };
}

}  // namespace

const std::vector<VerbSpec>& verb_specs() {
  static const std::vector<VerbSpec> specs = make_specs();
  return specs;
}

const VerbSpec* find_verb(std::string_view name) {
  for (const auto& spec : verb_specs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const OptionSpec* find_option(const VerbSpec& verb, std::string_view flag) {
  for (const auto& option : verb.options) {
    if (option.flag == flag) return &option;
  }
  return nullptr;
}

const std::vector<OptionSpec>& global_options() {
  static const std::vector<OptionSpec> options = {
      {"--controller", "URL", "the controller's address (default http://127.0.0.1:9900)"},
      {"--token-file", "F", "read the API token from F (default: $SWITCHYARD_TOKEN)"},
      {"--output", "FORMAT", "table (default) or json: the controller's JSON, for scripts"},
  };
  return options;
}

const OptionSpec* find_global_option(std::string_view flag) {
  for (const auto& option : global_options()) {
    if (option.flag == flag) return &option;
  }
  return nullptr;
}

namespace {

void write_options(std::ostringstream& out, const std::vector<OptionSpec>& options) {
  for (const auto& option : options) {
    std::string left = "  " + std::string(option.flag);
    if (!option.metavar.empty()) left += " " + std::string(option.metavar);
    out << left << std::string(left.size() < 22 ? 22 - left.size() : 1, ' ') << option.help << '\n';
  }
}

}  // namespace

std::string verb_help(const VerbSpec& verb) {
  std::ostringstream out;
  out << "usage: switchyard [global options] " << verb.name;
  if (!verb.arguments.empty()) out << ' ' << verb.arguments;
  out << "\n\n" << verb.summary << "\n";
  if (!verb.options.empty()) {
    out << "\noptions:\n";
    write_options(out, verb.options);
  }
  out << "\nglobal options:\n";
  write_options(out, global_options());
  out << "\nexit codes: 0 ok, 1 the controller refused or failed, 2 bad command line\n";
  return out.str();
}

}  // namespace switchyard::controller::cli
