#pragma once
// The `switchyard` command-line grammar: global options (anywhere on the line), a verb of one or
// two words, the verb's positionals and options; `--help` for the program and for each verb.
// Pure functions over the argument list: no I/O, no environment, so every line is unit-tested.

#include <string>
#include <vector>

#include "controller/cli/cli_request.hpp"

namespace switchyard::controller::cli {

// Parses argv[1..] (without the program name). Never throws.
ParseOutcome parse_command_line(const std::vector<std::string>& args);

// The program's overview help (`switchyard --help`).
std::string general_help();

}  // namespace switchyard::controller::cli
