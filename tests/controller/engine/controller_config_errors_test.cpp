// SPEC §1: a bad configuration exits 2 with one line naming the file and the key. The API token
// file is part of the configuration: --check reads it too.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::test {
namespace {

TEST(ControllerConfigErrors, MissingOrEmptyTokenFileIsAConfigError) {
  TempDir dir;
  const auto missing = dir.path() + "/missing.token";
  const auto empty = dir.write_file("empty.token", "\n");
  for (const auto& [token, message] : {std::pair{missing, "cannot read '" + missing + "'"},
                                       std::pair{empty, "'" + empty + "' is empty"}}) {
    const auto path = dir.write_file("controller.yaml",
                                     "controller:\n  listen: 127.0.0.1:0\n  state: state.db\n  token_file: " + token +
                                         "\nenvironments:\n  - name: dev\n    proxies: [{admin: 127.0.0.1:9}]\n");
    for (bool check : {true, false}) {
      std::vector<std::string> args{"--config", path};
      if (check) args.push_back("--check");
      ChildProcess controller(bin_path("switchyard-controller"), args);
      EXPECT_EQ(controller.wait_exit(std::chrono::seconds(10)), 2) << controller.output();
      EXPECT_EQ(controller.output(), path + ": controller.token_file: " + message + "\n");
    }
  }
}

}  // namespace
}  // namespace switchyard::test
