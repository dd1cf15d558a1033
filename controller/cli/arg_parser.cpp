// The command-line grammar (see arg_parser.hpp); the verbs themselves are in verb_specs.cpp.
#include "controller/cli/arg_parser.hpp"

#include <charconv>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>

#include "controller/analytics/since.hpp"
#include "controller/cli/controller_url.hpp"
#include "controller/cli/verb_specs.hpp"

namespace switchyard::controller::cli {
namespace {

using Options = std::vector<std::pair<std::string, std::string>>;

ParseOutcome fail(std::string message) {
  ParseOutcome outcome;
  outcome.kind = ParseOutcome::Kind::kError;
  outcome.text = std::move(message);
  return outcome;
}

std::optional<long> parse_integer(const std::string& text, long min, long max) {
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < min || value > max) return std::nullopt;
  return value;
}

// Applies a global option; returns an error message, empty on success.
std::string apply_global(GlobalOptions& global, std::string_view flag, const std::string& value) {
  if (flag == "--controller") {
    std::string error;
    if (!parse_controller_url(value, error)) return "--controller: " + error;
    global.controller = value;
  } else if (flag == "--token-file") {
    if (value.empty()) return "--token-file: must not be empty";
    global.token_file = value;
  } else if (value == "table" || value == "json") {  // --output
    global.output = value == "json" ? OutputFormat::kJson : OutputFormat::kTable;
  } else {
    return "--output: must be table or json, not '" + value + "'";
  }
  return {};
}

// VERSION=WEIGHT words into request.weights; returns an error message, empty on success.
std::string parse_weights(CliRequest& request, const std::vector<std::string>& words) {
  for (const auto& word : words) {
    const auto equals = word.find('=');
    if (equals == std::string::npos || equals == 0) return "'" + word + "' is not VERSION=WEIGHT";
    const std::string version = word.substr(0, equals);
    const auto weight = parse_integer(word.substr(equals + 1), 0, 1000000);
    if (!weight) return "'" + word + "': the weight must be an integer 0..1000000";
    for (const auto& [seen, ignored] : request.weights) {
      if (seen == version) return "version '" + version + "' is given twice";
    }
    request.weights.emplace_back(version, static_cast<std::uint32_t>(*weight));
  }
  return {};
}

// The verb's options into the request; returns an error message, empty on success.
std::string apply_options(CliRequest& request, const Options& options) {
  for (const auto& [flag, value] : options) {
    if (flag == "--env") {
      request.env = value;
    } else if (flag == "--version") {
      request.version = value;
    } else if (flag == "--force") {
      request.force = true;
    } else if (flag == "--reason") {
      request.reason = value;
    } else if (flag == "--from") {
      request.from = value;
    } else if (flag == "--to") {
      request.to = value;
    } else if (flag == "--config-only") {
      request.config_only = true;
    } else if (flag == "--watch") {
      request.watch = true;
    } else if (flag == "--report") {
      request.report = true;
    } else if (flag == "--proxy") {
      request.proxy = value;
    } else if (flag == "--limit") {
      const auto limit = parse_integer(value, 1, 1000);
      if (!limit) return "--limit: must be an integer 1..1000";
      request.limit = static_cast<int>(*limit);
    } else if (flag == "--since") {
      std::string error;
      if (!analytics::parse_since(value, 0, error)) return "--since: " + error;
      request.since = value;
    } else if (flag == "--interval-ms") {
      const auto ms = parse_integer(value, 100, 60000);
      if (!ms) return "--interval-ms: must be an integer 100..60000";
      request.interval = std::chrono::milliseconds(*ms);
    } else if (flag == "--value") {
      request.secret_value = value;
      request.has_secret_value = true;
    } else if (flag == "--from-file") {
      request.value_file = value;
    } else if (flag == "--new-key-file") {
      request.new_key_file = value;
    } else if (flag == "--max-seconds") {
      const auto seconds = parse_integer(value, 1, 86400);
      if (!seconds) return "--max-seconds: must be an integer 1..86400";
      request.max_seconds = static_cast<int>(*seconds);
    }
  }
  return {};
}

bool has_option(const Options& options, std::string_view flag) {
  for (const auto& [name, value] : options) {
    if (name == flag) return true;
  }
  return false;
}

// What each verb needs beyond its grammar; returns an error message, empty on success.
std::string check_required(const CliRequest& request, const Options& options) {
  switch (request.verb) {
    case Verb::kRolloutStart:
      if (request.env.empty()) return "missing --env ENV";
      if (request.config_only && !request.version.empty()) return "--config-only takes no --version";
      if (request.version.empty() && !request.config_only) return "missing --version V";
      return {};
    case Verb::kRolloutPromoteEnv:
      if (request.from.empty()) return "missing --from ENV";
      return request.to.empty() ? "missing --to ENV" : "";
    case Verb::kConfigShow:
      return request.env.empty() ? "missing --env ENV" : "";
    case Verb::kRolloutPromote:
    case Verb::kRolloutPause:
    case Verb::kRolloutResume:
    case Verb::kRolloutAbort:
    case Verb::kWeightsSet:
    case Verb::kDriftAccept:
      return request.env.empty() ? "missing --env ENV" : "";
    case Verb::kRolloutStatus:
      if (request.watch && request.app.empty()) return "--watch needs APP";
      if (!request.watch && has_option(options, "--interval-ms")) return "--interval-ms needs --watch";
      if (!request.watch && has_option(options, "--max-seconds")) return "--max-seconds needs --watch";
      return {};
    case Verb::kSecretsSet:
    case Verb::kSecretsRotate:
      return request.has_secret_value && !request.value_file.empty() ? "--value and --from-file exclude each other" : "";
    case Verb::kSecretsRekey:
      return request.new_key_file.empty() ? "missing --new-key-file F" : "";
    default:
      return {};
  }
}

// Positionals and options into a request for `verb`.
ParseOutcome build_request(GlobalOptions global, const VerbSpec& verb,
                           const std::vector<std::string>& positionals, const Options& options) {
  const std::string prefix = std::string(verb.name) + ": ";
  const bool repeats = !verb.positionals.empty() && verb.positionals.back().ends_with("...");
  if (!repeats && positionals.size() > verb.positionals.size())
    return fail(prefix + "unexpected argument '" + positionals[verb.positionals.size()] + "'");
  if (positionals.size() < verb.required_positionals) {
    std::string_view missing = verb.positionals[positionals.size()];
    if (missing.ends_with("...")) missing.remove_suffix(3);
    return fail(prefix + "missing " + std::string(missing));
  }
  ParseOutcome outcome;
  outcome.kind = ParseOutcome::Kind::kRun;
  CliRequest& request = outcome.request;
  request.global = std::move(global);
  request.verb = verb.verb;
  if (verb.verb == Verb::kWeightsSet) {
    request.route = positionals[0];
    std::string error = parse_weights(request, {positionals.begin() + 1, positionals.end()});
    if (!error.empty()) return fail(prefix + error);
  } else if (!positionals.empty()) {
    request.app = positionals[0];
  }
  std::string error = apply_options(request, options);
  if (error.empty()) error = check_required(request, options);
  if (!error.empty()) return fail(prefix + error);
  return outcome;
}

// Walks the line: global options anywhere, then the verb's words, its options and positionals.
// Options of the verb are recognised only after the verb (their meaning depends on it).
struct LineWalker {
  const std::vector<std::string>& args;
  GlobalOptions global;
  std::vector<std::string> words;  // the verb's words seen so far
  const VerbSpec* verb = nullptr;
  std::vector<std::string> positionals;
  Options options;
  bool help = false;
  bool version = false;

  // Returns an error message, empty on success.
  std::string walk() {
    bool only_positionals = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& arg = args[i];
      if (!only_positionals && arg == "--") {
        only_positionals = true;
      } else if (!only_positionals && arg.size() > 1 && arg[0] == '-') {
        std::string error = take_option(i);
        if (!error.empty() || version) return error;
      } else if (verb == nullptr) {
        std::string error = take_word(arg);
        if (!error.empty()) return error;
      } else if (verb->verb == Verb::kDriftStatus && words.size() == 1 && (arg == "accept" || arg == "status")) {
        verb = find_verb("drift " + arg);  // `switchyard drift` alone is `drift status`
        words.push_back(arg);
      } else {
        positionals.push_back(arg);
      }
    }
    return {};
  }

  std::string take_option(std::size_t& i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (const auto equals = flag.find('='); equals != std::string::npos) {
      inline_value = flag.substr(equals + 1);
      flag.resize(equals);
    }
    if (flag == "--help" || flag == "-h") {
      help = true;
      return {};
    }
    // `rollout start --version V` names the version to roll out; elsewhere --version is ours.
    if (flag == "--version" && (verb == nullptr || find_option(*verb, flag) == nullptr)) {
      version = true;
      return {};
    }
    const OptionSpec* spec = find_global_option(flag);
    const std::string where = verb == nullptr ? "" : std::string(verb->name) + ": ";
    if (spec == nullptr && verb != nullptr) spec = find_option(*verb, flag);
    if (spec == nullptr) {
      const std::string see = verb == nullptr ? "" : std::string(verb->name) + " ";
      return where + "unknown option " + flag + " (see switchyard " + see + "--help)";
    }
    std::string value;
    if (spec->metavar.empty()) {
      if (inline_value) return where + flag + " takes no value";
    } else if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return where + flag + " needs a value";
    }
    if (find_global_option(flag) != nullptr) return apply_global(global, flag, value);
    options.emplace_back(flag, value);
    return {};
  }

  std::string take_word(const std::string& word) {
    words.push_back(word);
    if (words.size() == 1) {
      if (verb = find_verb(word); verb != nullptr) return {};  // one-word verbs: analytics, instances
      if (word == "rollout" || word == "weights" || word == "env" || word == "config" || word == "secrets") return {};
      if (word == "drift") {
        verb = find_verb("drift status");
        return {};
      }
      if (word == "help") {
        help = true;
        return {};
      }
      return "unknown command '" + word + "' (see switchyard --help)";
    }
    verb = find_verb(words[0] + " " + word);
    if (verb == nullptr)
      return words[0] + ": unknown subcommand '" + word + "' (see switchyard --help)";
    return {};
  }
};

}  // namespace

ParseOutcome parse_command_line(const std::vector<std::string>& args) {
  LineWalker walker{args, {}, {}, nullptr, {}, {}, false, false};
  std::string error = walker.walk();
  if (walker.version) {
    ParseOutcome outcome;
    outcome.kind = ParseOutcome::Kind::kVersion;
    return outcome;
  }
  if (walker.help) {
    ParseOutcome outcome;
    outcome.kind = ParseOutcome::Kind::kHelp;
    outcome.text = walker.verb != nullptr ? verb_help(*walker.verb) : general_help();
    return outcome;
  }
  if (!error.empty()) return fail(std::move(error));
  if (walker.verb == nullptr) {
    if (walker.words.empty()) return fail("missing a command (see switchyard --help)");
    return fail(walker.words[0] + ": missing a subcommand (see switchyard --help)");
  }
  return build_request(std::move(walker.global), *walker.verb, walker.positionals, walker.options);
}

std::string general_help() {
  std::ostringstream out;
  out << "usage: switchyard [--controller URL] [--token-file F] [--output table|json] COMMAND ...\n"
         "\nThe command-line client of switchyard-controller.\n\ncommands:\n";
  for (const auto& verb : verb_specs()) {
    std::string left = "  " + std::string(verb.name);
    out << left << std::string(left.size() < 20 ? 20 - left.size() : 1, ' ') << verb.summary << '\n';
  }
  out << "\nglobal options:\n";
  for (const auto& option : global_options()) {
    std::string left = "  " + std::string(option.flag) + " " + std::string(option.metavar);
    out << left << std::string(left.size() < 22 ? 22 - left.size() : 1, ' ') << option.help << '\n';
  }
  out << "  --help, --version\n"
         "\n`switchyard COMMAND --help` describes a command.\n"
         "exit codes: 0 ok, 1 the controller refused or failed, 2 bad command line\n";
  return out.str();
}

const char* verb_name(Verb verb) {
  for (const auto& spec : verb_specs()) {
    if (spec.verb == verb) return spec.name.data();
  }
  return "?";
}

}  // namespace switchyard::controller::cli
