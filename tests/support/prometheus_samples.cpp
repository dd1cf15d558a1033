#include "tests/support/prometheus_samples.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdio>

#include "tests/support/temp_dir.hpp"

namespace switchyard::test {

boost::json::object prometheus_samples(const std::string& text) {
  TempDir dir;
  const auto input = dir.write_file("metrics.txt", text);
  const auto script = dir.write_file(
      "parse.py",
      "import json, sys\n"
      "from prometheus_client.parser import text_string_to_metric_families\n"
      "out = {}\n"
      "for family in text_string_to_metric_families(open(sys.argv[1]).read()):\n"
      "    for s in family.samples:\n"
      "        labels = ','.join(f'{k}={v}' for k, v in sorted(s.labels.items()))\n"
      "        out[f'{s.name}{{{labels}}}'] = s.value\n"
      "print(json.dumps(out))\n");
  const std::string python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
  FILE* pipe = popen((python + " " + script + " " + input + " 2>&1").c_str(), "r");
  std::string output;
  char buffer[4096];
  while (pipe && fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = pipe ? pclose(pipe) : -1;
  EXPECT_EQ(status, 0) << output;
  boost::system::error_code ec;
  auto value = boost::json::parse(output, ec);
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "parser output is not JSON: " << output;
    return {};
  }
  return value.as_object();
}

double prometheus_sample(const boost::json::object& samples, const std::string& key) {
  const auto it = samples.find(key);
  if (it == samples.end()) {
    ADD_FAILURE() << "no sample " << key;
    return -1;
  }
  return it->value().to_number<double>();
}

}  // namespace switchyard::test
