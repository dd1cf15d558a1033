#include "controller/proxies/change_recorder.hpp"

#include <mutex>

namespace switchyard::controller::proxies {
namespace {

std::mutex& recorder_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::shared_ptr<ChangeRecorder>& recorder_slot() {
  static std::shared_ptr<ChangeRecorder> slot;
  return slot;
}

}  // namespace

ProxyChange weights_change(const std::string& route, const std::map<std::string, std::uint32_t>& weights) {
  ProxyChange change;
  change.kind = ProxyChange::Kind::weights;
  change.route = route;
  change.weights = weights;
  return change;
}

ProxyChange split_change(const std::string& route, const std::vector<config::SplitEntry>& split) {
  ProxyChange change;
  change.kind = ProxyChange::Kind::split;
  change.route = route;
  change.split = split;
  return change;
}

ProxyChange upstream_change(const std::string& upstream, const std::vector<std::string>* endpoints) {
  ProxyChange change;
  change.kind = endpoints != nullptr ? ProxyChange::Kind::upstream_put : ProxyChange::Kind::upstream_delete;
  change.upstream = upstream;
  if (endpoints != nullptr) change.endpoints = *endpoints;
  return change;
}

void install_change_recorder(std::shared_ptr<ChangeRecorder> recorder) {
  std::lock_guard lock(recorder_mutex());
  recorder_slot() = std::move(recorder);
}

std::shared_ptr<ChangeRecorder> change_recorder() {
  std::lock_guard lock(recorder_mutex());
  return recorder_slot();
}

ChangeScope::ChangeScope(bool enabled, std::string proxy, ProxyChange change)
    : recorder_(enabled ? change_recorder() : nullptr), proxy_(std::move(proxy)), change_(std::move(change)) {
  if (recorder_) recorder_->begin(proxy_);
}

ChangeScope::~ChangeScope() {
  if (recorder_) recorder_->end(proxy_, change_, applied_);
}

}  // namespace switchyard::controller::proxies
