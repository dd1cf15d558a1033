#pragma once
// run_cli: carries out one parsed command against the controller and prints the outcome —
// tables for people, or the controller's JSON with `--output json`. Returns the exit code:
// 0 ok, 1 the controller refused, failed or could not be reached (the message is printed on
// `err` as "switchyard: <message>"). Runs on the main thread; never throws.

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "controller/cli/cli_request.hpp"
#include "controller/cli/controller_client.hpp"

namespace switchyard::controller::cli {

struct CliIo {
  std::ostream& out;
  std::ostream& err;
  bool out_is_tty = false;               // --watch redraws in place only on a terminal
  std::function<std::int64_t()> now_ms;  // Unix ms; the system clock when empty
};

int run_cli(const CliRequest& request, const std::string& token, CliIo& io);

// Prints "switchyard: <message>" on io.err and returns 1.
int report_failure(CliIo& io, const std::string& message);
std::int64_t now_ms(const CliIo& io);

// analytics (analytics_command.cpp).
int analytics_command(const ControllerClient& client, const CliRequest& request, CliIo& io);
// secrets set|get|list|rotate|history|rekey (secrets_commands.cpp).
int run_secrets(const ControllerClient& client, const CliRequest& request, CliIo& io);

// rollout status --watch (watch.cpp).
int watch_rollout(const ControllerClient& client, const CliRequest& request, CliIo& io);
// config_commands.cpp: rollout promote-env, config show, instances.
int promote_env(const ControllerClient& client, const CliRequest& request, CliIo& io);
int config_show(const ControllerClient& client, const CliRequest& request, CliIo& io);
int instances(const ControllerClient& client, const CliRequest& request, CliIo& io);

// drift [--report], drift accept (drift_commands.cpp).
int drift_status(const ControllerClient& client, const CliRequest& request, CliIo& io);
int drift_accept(const ControllerClient& client, const CliRequest& request, CliIo& io);

}  // namespace switchyard::controller::cli
