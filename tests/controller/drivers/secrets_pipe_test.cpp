// Secrets handed to an instance through a pipe on fd 3 (docs/secrets.md): the bytes arrive, the
// variable names the descriptor, and the value is in neither argv nor the environment.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "controller/drivers/process_spawn.hpp"
#include "controller/drivers/secrets_payload.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::drivers {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int wait_for(pid_t pid) {
  int status = 0;
  for (int i = 0; i < 500; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "child " << pid << " did not exit";
  return -1;
}

TEST(SecretsPayload, IsOneJsonObjectWithEscapes) {
  EXPECT_EQ(secrets_payload({}), "");
  EXPECT_EQ(secrets_payload({{"A", "x\"y\\z\n\x01"}, {"B", ""}}), R"({"A":"x\"y\\z\u000a\u0001","B":""})");
}

TEST(SecretsPipe, ChildReadsThePayloadFromFd3) {
  test::TempDir dir;
  const std::string log = dir.path() + "/child.log";
  const std::string payload = secrets_payload({{"DB_PASSWORD", "s3cr3t-value"}});
  // The child reports the variable, the pipe's content, and whether the value is in its env or argv.
  const auto spawned = spawn_process(
      {"/bin/sh", "-c",
       "echo \"fd=$SWITCHYARD_SECRETS_FD\"; cat <&3; echo; "
       // The pattern is assembled at run time: the command line itself must not hold the value.
       "P=s3cr; if grep -q \"${P}3t\" /proc/$$/environ /proc/$$/cmdline; then echo LEAKED; else echo clean; fi"},
      {}, log, payload);
  ASSERT_GT(spawned.pid, 0) << spawned.error;
  const int status = wait_for(spawned.pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  const auto output = read_file(log);
  EXPECT_NE(output.find("fd=3\n"), std::string::npos) << output;
  EXPECT_NE(output.find(payload), std::string::npos) << output;
  EXPECT_NE(output.find("clean"), std::string::npos) << output;
}

TEST(SecretsPipe, WithoutSecretsNoDescriptorAndNoVariable) {
  test::TempDir dir;
  const std::string log = dir.path() + "/child.log";
  const auto spawned = spawn_process(
      {"/bin/sh", "-c", "echo \"fd=[$SWITCHYARD_SECRETS_FD]\"; if [ -e /proc/$$/fd/3 ]; then echo open; else echo closed; fi"},
      {}, log);
  ASSERT_GT(spawned.pid, 0) << spawned.error;
  wait_for(spawned.pid);
  const auto output = read_file(log);
  EXPECT_NE(output.find("fd=[]"), std::string::npos) << output;
  EXPECT_NE(output.find("closed"), std::string::npos) << output;
}

TEST(SecretsPipe, LargePayloadStillArrives) {
  test::TempDir dir;
  const std::string log = dir.path() + "/child.log";
  std::map<std::string, std::string> many;
  for (int i = 0; i < 6; ++i) many["S" + std::to_string(i)] = std::string(32768, static_cast<char>('a' + i));
  const auto payload = secrets_payload(many);
  ASSERT_GT(payload.size(), 65536u);
  const auto spawned = spawn_process({"/bin/sh", "-c", "wc -c <&3"}, {}, log, payload);
  ASSERT_GT(spawned.pid, 0) << spawned.error;
  wait_for(spawned.pid);
  EXPECT_NE(read_file(log).find(std::to_string(payload.size())), std::string::npos) << read_file(log);
}

}  // namespace
}  // namespace switchyard::controller::drivers
