// Parses /metrics output with the reference parser (prometheus_client, Debian package
// python3-prometheus-client) and checks families, types, label escaping and exact counts.
#include "proxy/stats/prometheus_text.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <unistd.h>

#include "tests/support/temp_dir.hpp"

namespace switchyard::proxy::stats {
namespace {

// Prints "F <name> <type>" per family and "S <json [name, labels]> <value>" per sample.
constexpr const char* kParser = R"PY(
import json, sys
from prometheus_client.parser import text_string_to_metric_families
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    print("F", family.name, family.type)
    for s in family.samples:
        key = json.dumps([s.name, s.labels], sort_keys=True, separators=(",", ":"))
        print("S", key, repr(float(s.value)))
)PY";

std::string python() {
  // Debian's interpreter has the package; a pyenv shim earlier on PATH may not.
  return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

// Runs the parser on `text`; returns its output lines, or fails the test.
std::set<std::string> parse(const std::string& text) {
  test::TempDir dir;
  const auto script = dir.write_file("parse.py", kParser);
  const auto input = dir.write_file("metrics.txt", text);
  const auto command = python() + " " + script + " " + input + " 2>&1";
  std::set<std::string> lines;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed";
    return lines;
  }
  std::string line;
  for (int c; (c = std::fgetc(pipe)) != EOF;) {
    if (c == '\n') {
      lines.insert(line);
      line.clear();
    } else {
      line.push_back(static_cast<char>(c));
    }
  }
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << "parser failed:\n" << [&] {
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    return all + line;
  }();
  return lines;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

// The parser's line for one sample; `labels` must be sorted by key.
std::string sample(std::string_view name, std::vector<std::pair<std::string, std::string>> labels, double value) {
  std::string out = "S [" + json_string(name) + ",{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i != 0) out += ",";
    out += json_string(labels[i].first) + ":" + json_string(labels[i].second);
  }
  char number[64];
  std::snprintf(number, sizeof number, "%.1f", value);
  return out + "}] " + number;
}

config::ProxyConfig test_config() {
  config::ProxyConfig config;
  config.upstreams.push_back({"blue", {{"127.0.0.1", 18081}, {"::1", 18082}}, std::nullopt});
  config::RouteConfig route;
  route.name = "shop";
  route.split = {{"stable", "blue", 90}, {"canary", "blue", 10}};
  config.routes.push_back(route);
  return config;
}

class PrometheusTextTest : public ::testing::Test {
 protected:
  StatsRegistry registry{2};
  config::ProxyConfig config = test_config();
  std::string out;
};

TEST_F(PrometheusTextTest, EveryFamilyOfTheSpecIsThereWithItsType) {
  registry.slot_for("shop", "stable");
  render_prometheus(registry, config, {}, out);
  const auto lines = parse(out);
  for (const char* family : {"F switchyard_requests counter", "F switchyard_request_duration_seconds histogram",
                             "F switchyard_upstream_errors counter", "F switchyard_route_weight gauge",
                             "F switchyard_guard_trips counter", "F switchyard_endpoint_healthy gauge",
                             "F switchyard_connections_active gauge", "F switchyard_config_reloads counter"}) {
    EXPECT_TRUE(lines.contains(family)) << family << "\n" << out;
  }
}

TEST_F(PrometheusTextTest, CountsAreExactlyTheRecordedRequests) {
  const auto stable = registry.slot_for("shop", "stable");
  const auto canary = registry.slot_for("shop", "canary");
  for (int i = 0; i < 700; ++i) registry.worker(i % 2).record(stable, 200, UpstreamErrorKind::none, 2000, 0);
  for (int i = 0; i < 13; ++i) registry.worker(1).record(canary, 502, UpstreamErrorKind::connect, 4000, 0);
  registry.worker(0).record(canary, 404, UpstreamErrorKind::none, 20'000'000, 0);
  registry.record_guard_trip("shop");
  MetricsInputs inputs;
  inputs.connections_active = 42;
  inputs.reloads_applied = 3;
  inputs.reloads_rejected = 1;
  inputs.endpoint_healthy = [](std::string_view, std::size_t index) { return index == 0; };
  render_prometheus(registry, config, inputs, out);
  const auto lines = parse(out);
  const std::vector<std::string> expected = {
      sample("switchyard_requests_total", {{"code", "2xx"}, {"route", "shop"}, {"version", "stable"}}, 700),
      sample("switchyard_requests_total", {{"code", "3xx"}, {"route", "shop"}, {"version", "stable"}}, 0),
      sample("switchyard_requests_total", {{"code", "5xx"}, {"route", "shop"}, {"version", "canary"}}, 13),
      sample("switchyard_requests_total", {{"code", "4xx"}, {"route", "shop"}, {"version", "canary"}}, 1),
      sample("switchyard_upstream_errors_total", {{"kind", "connect"}, {"route", "shop"}, {"version", "canary"}}, 13),
      sample("switchyard_upstream_errors_total", {{"kind", "reset"}, {"route", "shop"}, {"version", "canary"}}, 0),
      sample("switchyard_request_duration_seconds_bucket", {{"le", "0.001"}, {"route", "shop"}, {"version", "stable"}}, 0),
      sample("switchyard_request_duration_seconds_bucket", {{"le", "0.0025"}, {"route", "shop"}, {"version", "stable"}}, 700),
      sample("switchyard_request_duration_seconds_bucket", {{"le", "+Inf"}, {"route", "shop"}, {"version", "stable"}}, 700),
      sample("switchyard_request_duration_seconds_bucket", {{"le", "10"}, {"route", "shop"}, {"version", "canary"}}, 13),
      sample("switchyard_request_duration_seconds_bucket", {{"le", "+Inf"}, {"route", "shop"}, {"version", "canary"}}, 14),
      sample("switchyard_request_duration_seconds_count", {{"route", "shop"}, {"version", "canary"}}, 14),
      sample("switchyard_request_duration_seconds_sum", {{"route", "shop"}, {"version", "stable"}}, 1.4),
      sample("switchyard_route_weight", {{"route", "shop"}, {"version", "stable"}}, 90),
      sample("switchyard_route_weight", {{"route", "shop"}, {"version", "canary"}}, 10),
      sample("switchyard_guard_trips_total", {{"route", "shop"}}, 1),
      sample("switchyard_endpoint_healthy", {{"endpoint", "127.0.0.1:18081"}, {"upstream", "blue"}}, 1),
      sample("switchyard_endpoint_healthy", {{"endpoint", "[::1]:18082"}, {"upstream", "blue"}}, 0),
      sample("switchyard_connections_active", {}, 42),
      sample("switchyard_config_reloads_total", {{"result", "applied"}}, 3),
      sample("switchyard_config_reloads_total", {{"result", "rejected"}}, 1),
  };
  for (const auto& line : expected) EXPECT_TRUE(lines.contains(line)) << line << "\n" << out;
}

TEST_F(PrometheusTextTest, LabelValuesAreEscaped) {
  const std::string nasty = "a\\b\"c\nd";
  const auto slot = registry.slot_for(nasty, "v\"1");
  registry.worker(0).record(slot, 200, UpstreamErrorKind::none, 10, 0);
  render_prometheus(registry, config, {}, out);
  EXPECT_NE(out.find(R"(route="a\\b\"c\nd")"), std::string::npos) << out;
  const auto lines = parse(out);
  EXPECT_TRUE(lines.contains(sample("switchyard_requests_total",
                                    {{"code", "2xx"}, {"route", nasty}, {"version", "v\"1"}}, 1)))
      << out;
}

TEST_F(PrometheusTextTest, RenderingTwiceGivesTheSameTextAndHelpPrecedesType) {
  registry.slot_for("shop", "stable");
  render_prometheus(registry, config, {}, out);
  std::string again;
  render_prometheus(registry, config, {}, again);
  EXPECT_EQ(out, again);
  const auto help = out.find("# HELP switchyard_requests_total ");
  const auto type = out.find("# TYPE switchyard_requests_total counter\n");
  ASSERT_NE(help, std::string::npos);
  EXPECT_LT(help, type);
  EXPECT_EQ(out.back(), '\n');
}

}  // namespace
}  // namespace switchyard::proxy::stats
