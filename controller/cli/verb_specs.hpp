#pragma once
// The table of verbs the CLI knows: their words, positionals and options, and the help text each
// `--help` prints. One entry per verb; the parser and the help both read it, so they cannot drift.

#include <string>
#include <string_view>
#include <vector>

#include "controller/cli/cli_request.hpp"

namespace switchyard::controller::cli {

struct OptionSpec {
  std::string_view flag;     // "--env"
  std::string_view metavar;  // "ENV"; empty for a switch such as --force
  std::string_view help;
};

struct VerbSpec {
  Verb verb;
  std::string_view name;        // "rollout start"
  std::string_view arguments;   // usage after the name, e.g. "APP --env ENV --version V [--force]"
  std::string_view summary;     // one sentence
  std::vector<std::string_view> positionals;  // names, in order; "VERSION=WEIGHT..." repeats
  std::size_t required_positionals = 0;
  std::vector<OptionSpec> options;
};

const std::vector<VerbSpec>& verb_specs();
const VerbSpec* find_verb(std::string_view name);
const OptionSpec* find_option(const VerbSpec& verb, std::string_view flag);

// Global options, accepted anywhere on the line.
const std::vector<OptionSpec>& global_options();
const OptionSpec* find_global_option(std::string_view flag);

// `switchyard VERB --help`.
std::string verb_help(const VerbSpec& verb);

}  // namespace switchyard::controller::cli
