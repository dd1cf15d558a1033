#pragma once
// Drift fixture: a real proxy (route shop: v1 -> shop-v1 at 100, v2 -> shop-v2 at 0, both on one
// demo backend) and the real controller watching it (app shop manages route shop), with
// `remediate:` as the test asks. Changes "behind the controller's back" go straight to the
// proxy's admin port. Test thread owns it.

#include <algorithm>
#include <string>
#include <vector>

#include "tests/controller/engine/controller_fixture.hpp"

namespace switchyard::test {

class DriftFixture : public ::testing::Test {
 protected:
  void start(const std::string& remediate, int admin_port = 0) {
    backend_ = std::make_unique<DemoBackend>("v1");
    ASSERT_TRUE(backend_->ok());
    start_proxy(proxy_yaml(100, 0, admin_port));
    config_path_ = dir_.write_file(
        "controller.yaml",
        "controller:\n  listen: 127.0.0.1:0\n  state: " + dir_.path() + "/state.db\n"
        "environments:\n  - name: test\n    remediate: " + remediate + "\n    drift: { interval_ms: 200 }\n"
        "    proxies:\n      - { admin: 127.0.0.1:" + std::to_string(admin_port_) + " }\n"
        "apps:\n  - name: shop\n    route: shop\n    driver:\n      kind: process\n"
        "      command: /bin/true\n      ports: 19900-19949\n");
    controller_ = std::make_unique<ChildProcess>(bin_path("switchyard-controller"),
                                                 std::vector<std::string>{"--config", config_path_});
    auto line = controller_->wait_for_line(std::regex("^switchyard-controller listening on .*:[0-9]+$"));
    ASSERT_TRUE(line);
    controller_port_ = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
    ASSERT_TRUE(eventually([&] { return state() == "in_sync"; }, std::chrono::seconds(5))) << state();
  }

  std::string proxy_yaml(int v1, int v2, int admin_port) const {
    return "listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:" + std::to_string(admin_port) + "\n"
           "upstreams:\n  - name: shop-v1\n    endpoints: [" + backend_->address() + "]\n"
           "  - name: shop-v2\n    endpoints: [" + backend_->address() + "]\n"
           "routes:\n  - name: shop\n    match: { path_prefix: / }\n"
           "    split:\n      - { version: v1, upstream: shop-v1, weight: " + std::to_string(v1) + " }\n"
           "      - { version: v2, upstream: shop-v2, weight: " + std::to_string(v2) + " }\n";
  }

  void start_proxy(const std::string& yaml) {
    proxy_ = std::make_unique<ProxyProcess>(yaml);
    ASSERT_TRUE(proxy_->ok());
    admin_port_ = proxy_->admin_port();
  }

  boost::json::value api(const std::string& method, const std::string& target, const std::string& body = "",
                         int* status = nullptr) {
    auto response = http_request("127.0.0.1", controller_port_, method, target, body, {{"X-Switchyard-Actor", "tester"}},
                                 std::chrono::seconds(5));
    if (status) *status = response.status;
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    return ec ? boost::json::value() : value;
  }

  // The first proxy's entry of GET /v1/drift.
  boost::json::object drift() {
    auto value = api("GET", "/v1/drift?env=test");
    if (!value.is_object() || !value.get_object().contains("proxies")) return {};
    const auto& list = value.at("proxies").as_array();
    return list.empty() ? boost::json::object{} : list.front().as_object();
  }
  std::string state() {
    auto entry = drift();
    return entry.contains("state") ? std::string(entry.at("state").as_string()) : "";
  }
  std::string diff_text() {
    auto entry = drift();
    std::string out;
    if (entry.contains("diff")) {
      for (const auto& line : entry.at("diff").as_array()) out += std::string(line.as_string()) + "\n";
    }
    return out;
  }
  boost::json::array incidents() {
    auto value = api("GET", "/v1/drift/report?env=test");
    return value.is_object() && value.get_object().contains("incidents") ? value.at("incidents").as_array()
                                                                         : boost::json::array{};
  }

  HttpResponse admin(const std::string& method, const std::string& target, const std::string& body = "") {
    return http_request("127.0.0.1", admin_port_, method, target, body);
  }
  std::map<std::string, std::int64_t> weights() {
    auto response = admin("GET", "/v1/routes/shop");
    std::map<std::string, std::int64_t> out;
    boost::system::error_code ec;
    auto value = boost::json::parse(response.body, ec);
    if (ec || !value.is_object()) return out;
    for (const auto& entry : value.at("split").as_array()) {
      out[std::string(entry.at("version").as_string())] = entry.at("weight").to_number<std::int64_t>();
    }
    return out;
  }

  void TearDown() override { controller_.reset(); }

  static std::int64_t since_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  }
  static void print_figures(const char* what, std::vector<std::int64_t> samples) {
    if (samples.empty()) return;
    std::sort(samples.begin(), samples.end());
    std::printf("%s: n=%zu median %lld ms, worst %lld ms\n", what, samples.size(),
                static_cast<long long>(samples[samples.size() / 2]), static_cast<long long>(samples.back()));
  }

  TempDir dir_;
  std::string config_path_;
  std::unique_ptr<DemoBackend> backend_;
  std::unique_ptr<ProxyProcess> proxy_;
  std::unique_ptr<ChildProcess> controller_;
  std::uint16_t controller_port_ = 0;
  std::uint16_t admin_port_ = 0;
};

}  // namespace switchyard::test
