// switchyard-demo-backend: argument parsing and wiring only (see demo/demo_server.hpp).
#include "common/fd_limit.hpp"
#include "common/version.hpp"
#include "demo/demo_server.hpp"
#include "demo/demo_state.hpp"
#include "demo/secrets_input.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

using switchyard::demo::DemoServerOptions;
using switchyard::demo::FaultSettings;

constexpr std::string_view kUsage =
    "usage: switchyard-demo-backend [options]\n"
    "  --port N          port to listen on (0 = ephemeral, default 0)\n"
    "  --host ADDR       address to listen on (default 127.0.0.1)\n"
    "  --name NAME       name this backend reports in its answers (default demo)\n"
    "  --error-rate F    share of catch-all answers that are 500, 0..1 (default 0)\n"
    "  --latency-ms N    delay before each catch-all answer (default 0)\n"
    "  --threads N       worker threads (default 1)\n"
    "  --config-file F   a file whose text GET /admin/config-file shows (controller {config_file})\n"
    "  --help, --version\n";

struct Options {
  DemoServerOptions server;
  std::string name = "demo";
  std::string config_file;
  FaultSettings faults;
};

template <class T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Applies one `--flag value`; returns an error message, empty on success.
std::string apply(Options& options, std::string_view flag, std::string_view value) {
  if (flag == "--port") {
    auto port = parse_number<unsigned>(value);
    if (!port || *port > 65535) return "--port: must be an integer 0..65535";
    options.server.port = static_cast<std::uint16_t>(*port);
  } else if (flag == "--host") {
    unsigned char parsed[sizeof(in6_addr)];
    std::string host(value);
    if (inet_pton(AF_INET, host.c_str(), parsed) != 1 && inet_pton(AF_INET6, host.c_str(), parsed) != 1)
      return "--host: must be a numeric IPv4 or IPv6 address";
    options.server.host = host;
  } else if (flag == "--name") {
    if (value.empty()) return "--name: must not be empty";
    options.name = value;
  } else if (flag == "--config-file") {
    options.config_file = value;
  } else if (flag == "--error-rate") {
    auto rate = parse_number<double>(value);
    if (!rate || !switchyard::demo::valid_error_rate(*rate)) return "--error-rate: must be a number 0..1";
    options.faults.error_rate = *rate;
  } else if (flag == "--latency-ms") {
    auto ms = parse_number<long>(value);
    if (!ms || !switchyard::demo::valid_latency_ms(*ms)) return "--latency-ms: must be an integer 0..3600000";
    options.faults.latency_ms = *ms;
  } else if (flag == "--threads") {
    auto threads = parse_number<unsigned>(value);
    if (!threads || *threads < 1 || *threads > 256) return "--threads: must be an integer 1..256";
    options.server.threads = *threads;
  } else {
    return std::string(flag) + ": unknown option (see --help)";
  }
  return {};
}

// Returns an error message, empty on success; exits for --help and --version.
std::string parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (arg == "--version") {
      std::cout << "switchyard-demo-backend " << switchyard::version() << "\n";
      std::exit(0);
    }
    std::string_view flag = arg, value;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else if (arg.starts_with("--") && i + 1 < argc) {
      value = argv[++i];
    } else {
      return std::string(arg) + (arg.starts_with("--") ? ": missing value" : ": unexpected argument");
    }
    if (std::string error = apply(options, flag, value); !error.empty()) return error;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (std::string error = parse(argc, argv, options); !error.empty()) {
    std::cerr << "switchyard-demo-backend: " << error << "\n";
    return 2;
  }
  // Block the stop signals before any worker starts so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  // As the proxy does (common/fd_limit.hpp): a benchmark's burst of new connections must not
  // stall this threaded server while the kernel grows its descriptor table.
  switchyard::raise_fd_limit();
  switchyard::reserve_descriptor_table(16384);

  switchyard::demo::DemoState state(options.name, options.faults);
  state.config_file = options.config_file;
  if (std::string error = switchyard::demo::read_handed_secrets(state.secrets_summary); !error.empty()) {
    std::cerr << "switchyard-demo-backend: " << error << "\n";
    return 1;
  }
  switchyard::demo::DemoServer server(options.server, state);
  if (std::string error = server.start(); !error.empty()) {
    std::cerr << "switchyard-demo-backend: " << error << "\n";
    return 1;
  }
  // Tests and scripts discover the port from this exact line.
  std::printf("switchyard-demo-backend %s listening on %s:%u\n", options.name.c_str(),
              options.server.host.c_str(), static_cast<unsigned>(server.port()));
  std::fflush(stdout);

  int received = 0;
  sigwait(&stop_signals, &received);
  server.stop();
  return 0;
}
