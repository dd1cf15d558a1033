#include "controller/drift/drift_registry.hpp"

#include <chrono>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

namespace switchyard::controller::drift {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

DriftNote note_for(DriftNote::Kind kind, const DriftStatus& status) {
  DriftNote note;
  note.kind = kind;
  note.env = status.env;
  note.proxy = status.proxy;
  note.at_ms = wall_ms();
  return note;
}

}  // namespace

std::shared_ptr<DriftRegistry> installed_registry() {
  return std::dynamic_pointer_cast<DriftRegistry>(proxies::change_recorder());
}

DriftRegistry::DriftRegistry(std::set<std::string> managed_routes, Sink sink)
    : managed_routes_(std::move(managed_routes)), sink_(std::move(sink)) {}

void DriftRegistry::add_proxy(const std::string& env, const std::string& proxy, bool remediate_auto) {
  if (!locks_.contains(proxy)) locks_[proxy] = std::make_unique<ProxyLock>();
  std::lock_guard lock(mutex_);
  auto& entry = entries_[{env, proxy}];
  entry.status.env = env;
  entry.status.proxy = proxy;
  entry.status.remediate_auto = remediate_auto;
}

void DriftRegistry::begin(const std::string& proxy) {
  auto found = locks_.find(proxy);
  if (found == locks_.end()) return;
  auto& slot = *found->second;
  // Marked before waiting: the detector must not judge a state this change is about to alter.
  ++slot.in_flight;
  ++slot.generation;
  slot.change.lock();
}

void DriftRegistry::end(const std::string& proxy, const proxies::ProxyChange& change, bool applied) {
  auto found = locks_.find(proxy);
  if (found == locks_.end()) return;
  auto& slot = *found->second;
  std::vector<DriftNote> notes;
  {
    std::lock_guard lock(mutex_);
    for (auto& [key, entry] : entries_) {
      if (key.second != proxy || !entry.desired) continue;
      const auto before = *entry.desired;
      if (applied) apply_change(*entry.desired, change);
      if (*entry.desired != before) baseline(entry, "", "controller change", notes);
    }
  }
  ++slot.generation;
  --slot.in_flight;
  slot.change.unlock();
  flush(notes);
}

std::unique_lock<std::mutex> DriftRegistry::hold(const std::string& proxy) {
  auto& slot = *locks_.at(proxy);
  std::unique_lock lock(slot.change);
  ++slot.generation;
  return lock;
}

std::uint64_t DriftRegistry::generation(const std::string& proxy) const {
  auto found = locks_.find(proxy);
  return found == locks_.end() ? 0 : found->second->generation.load();
}

bool DriftRegistry::in_flight(const std::string& proxy) const {
  auto found = locks_.find(proxy);
  return found != locks_.end() && found->second->in_flight.load() > 0;
}

void DriftRegistry::guard_tripped(const std::string& env, const std::string& proxy, const std::string& route) {
  std::lock_guard lock(mutex_);
  if (auto* entry = find(env, proxy)) entry->tripped.insert(route);
}

void DriftRegistry::changed_at(const std::string& env, const std::string& proxy, std::int64_t at_ms) {
  std::lock_guard lock(mutex_);
  if (auto* entry = find(env, proxy)) entry->last_change_ms = std::max(entry->last_change_ms, at_ms);
}

Verdict DriftRegistry::observe(const std::string& env, const std::string& proxy, std::uint64_t generation_seen,
                               const std::string& hash, const boost::json::value& config) {
  std::vector<DriftNote> notes;
  Verdict verdict;
  {
    std::lock_guard lock(mutex_);
    auto* entry = find(env, proxy);
    if (entry == nullptr || in_flight(proxy) || this->generation(proxy) != generation_seen) return {Verdict::Kind::retry};
    const auto now = wall_ms();
    auto& status = entry->status;
    status.last_check_ms = now;
    // Hash first: the same configuration as when last seen in sync needs no comparison.
    if (entry->desired && status.state == "in_sync" && hash == entry->sync_hash && entry->tripped.empty()) return verdict;
    const auto actual = all_from_config(config);
    if (!entry->desired) {
      entry->desired = managed_from_config(config, managed_routes_);
      baseline(*entry, hash, "first seen", notes);
    } else if (hash != entry->sync_hash || status.state != "in_sync") {
      // The proxy's own moves: a guard trip stands until the controller acts on it.
      for (const auto& route : entry->tripped) {
        if (auto found = actual.routes.find(route); found != actual.routes.end() && entry->desired->routes.contains(route)) {
          entry->desired->routes[route] = found->second;
          baseline(*entry, hash, "guard trip on route " + route, notes);
        }
      }
      const auto before = *entry->desired;
      adopt_missing_upstreams(*entry->desired, actual);
      if (*entry->desired != before) baseline(*entry, hash, "upstream taken under management", notes);
    }
    entry->tripped.clear();
    auto lines = diff(*entry->desired, actual);
    if (lines.empty()) {
      if (status.state == "drifted") {
        resolve(*entry, entry->found_generation != generation_seen ? "superseded" : "reverted", "proxy", notes);
      }
      if (status.state != "in_sync") status.since_ms = now;
      status.state = "in_sync";
      status.diff.clear();
      status.error.clear();
      entry->sync_hash = hash;
    } else {
      if (status.state != "drifted") {
        status.state = "drifted";
        status.since_ms = now;
        entry->found_generation = generation_seen;
        ++status.incidents;
        ++incidents_total_;
        auto note = note_for(DriftNote::Kind::found, status);
        note.diff = lines;
        if (entry->last_change_ms > 0 && now - entry->last_change_ms < 60000) note.detected_ms = now - entry->last_change_ms;
        notes.push_back(std::move(note));
        spdlog::warn("drift on {} ({}): {}", proxy, env, lines.front());
      }
      status.error.clear();
      status.diff = std::move(lines);
      verdict = {Verdict::Kind::drifted, status.remediate_auto};
    }
  }
  flush(notes);
  return verdict;
}

void DriftRegistry::unreachable(const std::string& env, const std::string& proxy, const std::string& error) {
  std::lock_guard lock(mutex_);
  auto* entry = find(env, proxy);
  if (entry == nullptr) return;
  entry->status.last_check_ms = wall_ms();
  entry->status.error = error;
  if (entry->status.state == "unreachable") return;
  entry->status.state = "unreachable";
  entry->status.since_ms = entry->status.last_check_ms;
  entry->sync_hash.clear();  // compare in full once it answers again
}

bool DriftRegistry::remediated(const std::string& env, const std::string& proxy, const std::string& hash,
                               const boost::json::value& config) {
  std::vector<DriftNote> notes;
  bool repaired = false;
  {
    std::lock_guard lock(mutex_);
    auto* entry = find(env, proxy);
    if (entry == nullptr || !entry->desired) return false;
    repaired = diff(*entry->desired, all_from_config(config)).empty();
    if (repaired && entry->status.state == "drifted") {
      ++entry->status.remediations;
      ++remediations_total_;
      resolve(*entry, "remediated", "controller (remediate: auto)", notes);
      entry->status.state = "in_sync";
      entry->status.since_ms = wall_ms();
      entry->status.diff.clear();
      entry->sync_hash = hash;
    }
  }
  flush(notes);
  return repaired;
}

void DriftRegistry::accept(const std::string& env, const std::string& proxy, const std::string& hash,
                           const boost::json::value& config, const std::string& actor) {
  std::vector<DriftNote> notes;
  {
    std::lock_guard lock(mutex_);
    auto* entry = find(env, proxy);
    if (entry == nullptr) return;
    std::set<std::string> routes = managed_routes_;
    if (entry->desired) {
      for (const auto& [route, split] : entry->desired->routes) routes.insert(route);
    }
    entry->desired = managed_from_config(config, routes);
    baseline(*entry, hash, "accepted by " + actor, notes);
    if (entry->status.state == "drifted") resolve(*entry, "accepted", actor, notes);
    entry->status.state = "in_sync";
    entry->status.since_ms = wall_ms();
    entry->status.diff.clear();
    entry->sync_hash = hash;
  }
  flush(notes);
}

std::optional<DesiredState> DriftRegistry::desired(const std::string& env, const std::string& proxy) const {
  std::lock_guard lock(mutex_);
  auto found = entries_.find({env, proxy});
  return found == entries_.end() ? std::nullopt : found->second.desired;
}

std::vector<DriftStatus> DriftRegistry::status(const std::string& env_filter) const {
  std::lock_guard lock(mutex_);
  std::vector<DriftStatus> out;
  for (const auto& [key, entry] : entries_) {
    if (env_filter.empty() || key.first == env_filter) out.push_back(entry.status);
  }
  return out;
}

DriftFigures DriftRegistry::figures() const {
  DriftFigures figures;
  figures.proxies = status("");
  std::lock_guard lock(mutex_);
  figures.incidents_total = incidents_total_;
  figures.remediations_total = remediations_total_;
  return figures;
}

DriftRegistry::Entry* DriftRegistry::find(const std::string& env, const std::string& proxy) {
  auto found = entries_.find({env, proxy});
  return found == entries_.end() ? nullptr : &found->second;
}

void DriftRegistry::baseline(Entry& entry, const std::string& hash, const std::string& reason,
                             std::vector<DriftNote>& notes) {
  auto note = note_for(DriftNote::Kind::baseline, entry.status);
  note.config_hash = hash;
  note.desired_json = boost::json::serialize(to_json(*entry.desired));
  note.reason = reason;
  notes.push_back(std::move(note));
}

void DriftRegistry::resolve(Entry& entry, const std::string& resolution, const std::string& by,
                            std::vector<DriftNote>& notes) {
  spdlog::info("drift on {} ({}) ended: {} by {}", entry.status.proxy, entry.status.env, resolution, by);
  auto note = note_for(DriftNote::Kind::resolved, entry.status);
  note.resolution = resolution;
  note.resolved_by = by;
  notes.push_back(std::move(note));
}

void DriftRegistry::flush(std::vector<DriftNote>& notes) {
  if (!sink_) return;
  for (const auto& note : notes) sink_(note);
}

}  // namespace switchyard::controller::drift
