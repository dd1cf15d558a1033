#pragma once
// CliRequest: one parsed `switchyard` command line — the global options and the verb with its
// arguments, validated, with nothing resolved yet (the token file is read later, by the runner).
// A plain value: built by parse_command_line, read by run_cli on the main thread.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace switchyard::controller::cli {

inline constexpr const char* kDefaultControllerUrl = "http://127.0.0.1:9900";

enum class OutputFormat { kTable, kJson };

enum class Verb {
  kRolloutStart,
  kRolloutStatus,
  kRolloutPromote,
  kRolloutPause,
  kRolloutResume,
  kRolloutAbort,
  kRolloutHistory,
  kWeightsSet,
  kEnvList,
  kAnalytics,
  kRolloutPromoteEnv,
  kConfigShow,
  kInstances,
  kDriftStatus,  // `switchyard drift` (also `drift status`)
  kDriftAccept,
  kSecretsSet,
  kSecretsGet,
  kSecretsList,
  kSecretsRotate,
  kSecretsHistory,
  kSecretsRekey,
};

struct GlobalOptions {
  std::string controller = kDefaultControllerUrl;
  std::string token_file;  // empty: fall back to $SWITCHYARD_TOKEN
  OutputFormat output = OutputFormat::kTable;
};

struct CliRequest {
  GlobalOptions global;
  Verb verb = Verb::kEnvList;
  std::string app;      // rollout verbs (optional for status and history)
  std::string env;      // --env (required for start, promote..abort, weights set)
  std::string version;  // rollout start --version
  bool force = false;   // rollout start --force
  std::string reason;   // rollout start --reason
  std::string route;    // weights set ROUTE
  std::vector<std::pair<std::string, std::uint32_t>> weights;  // weights set, in command-line order
  int limit = 20;       // rollout history --limit
  bool watch = false;   // rollout status --watch
  std::chrono::milliseconds interval{1000};  // --watch redraw period
  int max_seconds = 0;  // --watch: give up after this long (0 = never)
  std::string since;    // analytics --since (validated, sent as typed: the controller resolves it)
  std::string from;        // rollout promote-env --from
  std::string to;          // rollout promote-env --to
  bool config_only = false;  // rollout start --config-only
  std::string proxy;    // drift accept --proxy HOST:PORT
  bool report = false;  // drift --report: the compliance report instead of the current state
  // secrets verbs: NAME is in `app`; the value from --value, --from-file, else stdin.
  std::string secret_value;
  bool has_secret_value = false;
  std::string value_file;     // --from-file
  std::string new_key_file;   // secrets rekey --new-key-file
};

// The outcome of parsing: run the request, print help or the version, or fail with a one-line
// message (printed as `switchyard: <message>`, exit 2).
struct ParseOutcome {
  enum class Kind { kRun, kHelp, kVersion, kError };
  Kind kind = Kind::kError;
  CliRequest request;  // kRun
  std::string text;    // kHelp: the help text; kError: the message
};

// The name a verb is typed as, e.g. "rollout start".
const char* verb_name(Verb verb);

}  // namespace switchyard::controller::cli
