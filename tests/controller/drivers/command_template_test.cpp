#include "controller/drivers/command_template.hpp"

#include <gtest/gtest.h>

namespace switchyard::controller::drivers {
namespace {

std::vector<std::string> split(const std::string& text) {
  CommandTemplate parsed;
  std::string error;
  EXPECT_TRUE(CommandTemplate::parse(text, parsed, error)) << error;
  return parsed.tokens();
}

TEST(CommandTemplate, SplitsOnWhitespaceAndHonoursQuotes) {
  EXPECT_EQ(split("  demo --port {port}\t--name {version} "),
            (std::vector<std::string>{"demo", "--port", "{port}", "--name", "{version}"}));
  EXPECT_EQ(split("/bin/sh -c 'echo $FOO; exec x --port {port}'"),
            (std::vector<std::string>{"/bin/sh", "-c", "echo $FOO; exec x --port {port}"}));
  EXPECT_EQ(split(R"(a "b \"c\" \\d" e\ f g'h i'j)"),
            (std::vector<std::string>{"a", R"(b "c" \d)", "e f", "gh ij"}));
  EXPECT_EQ(split("x '' y"), (std::vector<std::string>{"x", "", "y"}));
}

TEST(CommandTemplate, RefusesBrokenTemplates) {
  CommandTemplate parsed;
  std::string error;
  EXPECT_FALSE(CommandTemplate::parse("demo 'open", parsed, error));
  EXPECT_NE(error.find("unterminated ' quote starting at offset 5"), std::string::npos) << error;
  EXPECT_FALSE(CommandTemplate::parse("demo \"open", parsed, error));
  EXPECT_FALSE(CommandTemplate::parse("demo \\", parsed, error));
  EXPECT_NE(error.find("trailing backslash"), std::string::npos) << error;
  EXPECT_FALSE(CommandTemplate::parse("   ", parsed, error));
  EXPECT_EQ(error, "command: empty");
}

TEST(CommandTemplate, SubstitutesKnownPlaceholdersWithoutResplitting) {
  CommandTemplate parsed;
  std::string error;
  ASSERT_TRUE(CommandTemplate::parse(
      "run --port={port} {version} {env}/{instance} {config_file} ${HOME} {unknown}", parsed,
      error));
  const auto argv = parsed.expand({{"port", "19001"},
                                   {"version", "v 2"},
                                   {"env", "staging"},
                                   {"instance", "3"},
                                   {"config_file", "/etc/app.yaml"}});
  EXPECT_EQ(argv, (std::vector<std::string>{"run", "--port=19001", "v 2", "staging/3",
                                            "/etc/app.yaml", "${HOME}", "{unknown}"}));
}

TEST(CommandTemplate, KnowsItsPlaceholders) {
  for (const char* name : {"port", "version", "env", "instance", "config_file"}) {
    EXPECT_TRUE(is_known_placeholder(name)) << name;
  }
  EXPECT_FALSE(is_known_placeholder("HOME"));
}

}  // namespace
}  // namespace switchyard::controller::drivers
