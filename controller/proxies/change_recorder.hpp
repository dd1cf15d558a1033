#pragma once
// ChangeRecorder: the one place where every change the controller makes to a proxy is seen
// (drift detection, docs/drift.md). ProxyClient's mutating calls (weights, split, upstream put
// and delete) open a ChangeScope around the request: begin() before sending (it may wait while
// a drift remediation holds the proxy, so the two never interleave), end() once the proxy
// answered, with whether the change was applied. The recorder is installed once per process by
// switchyard-controller before any proxy call; without one (tests, tools) nothing is recorded.
// Thread: any thread (the executor's worker, the API's pool); implementations are thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/proxy_config.hpp"

namespace switchyard::controller::proxies {

// What a controller call asked the proxy to change.
struct ProxyChange {
  enum class Kind { weights, split, upstream_put, upstream_delete };
  Kind kind = Kind::weights;
  std::string route;                              // weights, split
  std::map<std::string, std::uint32_t> weights;   // weights: versions named keep the rest
  std::vector<config::SplitEntry> split;          // split: the whole new split
  std::string upstream;                           // upstream_put, upstream_delete
  std::vector<std::string> endpoints;             // upstream_put
};

class ChangeRecorder {
 public:
  virtual ~ChangeRecorder() = default;
  virtual void begin(const std::string& proxy) = 0;
  virtual void end(const std::string& proxy, const ProxyChange& change, bool applied) = 0;
};

ProxyChange weights_change(const std::string& route, const std::map<std::string, std::uint32_t>& weights);
ProxyChange split_change(const std::string& route, const std::vector<config::SplitEntry>& split);
// `endpoints` null: the upstream is deleted.
ProxyChange upstream_change(const std::string& upstream, const std::vector<std::string>* endpoints);

// Process-wide; install before the first proxy call (nullptr uninstalls).
void install_change_recorder(std::shared_ptr<ChangeRecorder> recorder);
std::shared_ptr<ChangeRecorder> change_recorder();

// RAII: begin() now, end() with the outcome given to finish() (not applied when never called).
class ChangeScope {
 public:
  ChangeScope(bool enabled, std::string proxy, ProxyChange change);
  ~ChangeScope();
  ChangeScope(const ChangeScope&) = delete;
  ChangeScope& operator=(const ChangeScope&) = delete;
  void finish(bool applied) { applied_ = applied; }

 private:
  std::shared_ptr<ChangeRecorder> recorder_;
  std::string proxy_;
  ProxyChange change_;
  bool applied_ = false;
};

}  // namespace switchyard::controller::proxies
