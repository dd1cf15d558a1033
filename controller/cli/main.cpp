// switchyard: the command-line client of switchyard-controller — wiring only
// (grammar in arg_parser.cpp, verbs in commands.cpp, output in render.cpp).
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "common/version.hpp"
#include "controller/cli/arg_parser.hpp"
#include "controller/cli/commands.hpp"
#include "controller/cli/controller_client.hpp"

int main(int argc, char** argv) {
  namespace cli = switchyard::controller::cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const cli::ParseOutcome parsed = cli::parse_command_line(args);
  switch (parsed.kind) {
    case cli::ParseOutcome::Kind::kVersion:
      std::cout << "switchyard " << switchyard::version() << '\n';
      return 0;
    case cli::ParseOutcome::Kind::kHelp:
      std::cout << parsed.text;
      return 0;
    case cli::ParseOutcome::Kind::kError:
      std::cerr << "switchyard: " << parsed.text << '\n';
      return 2;
    case cli::ParseOutcome::Kind::kRun:
      break;
  }
  std::string token;
  std::string error;
  if (!cli::resolve_token(parsed.request.global.token_file, std::getenv("SWITCHYARD_TOKEN"), token,
                          error)) {
    std::cerr << "switchyard: " << error << '\n';
    return 2;
  }
  cli::CliIo io{std::cout, std::cerr, isatty(STDOUT_FILENO) == 1, {}};
  return cli::run_cli(parsed.request, token, io);
}
