#include "tests/support/demo_backend.hpp"

#include <regex>

namespace switchyard::test {

DemoBackend::DemoBackend(std::string name, std::vector<std::string> extra_args)
    : name_(std::move(name)) {
  std::vector<std::string> args{"--port", "0", "--name", name_};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<ChildProcess>(bin_path("switchyard-demo-backend"), std::move(args));
  static const std::regex kListening(
      R"(^switchyard-demo-backend \S+ listening on 127\.0\.0\.1:([0-9]+)$)");
  auto line = process_->wait_for_line(kListening);
  if (!line) return;
  std::smatch match;
  if (std::regex_search(*line, match, kListening)) port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
}

}  // namespace switchyard::test
