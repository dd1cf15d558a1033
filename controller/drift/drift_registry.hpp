#pragma once
// DriftRegistry: the controller's desired state of every proxy and each proxy's drift status
// (docs/drift.md). It is the process's proxies::ChangeRecorder: every change the controller
// makes through a ProxyClient updates the desired state here (begin() marks the proxy "change in
// flight" and takes its change lock, end() applies what the proxy accepted), so the detector
// never reports the controller's own change as drift, and a remediation (which holds the same
// lock) never interleaves with an executor or API change on that proxy.
// The detector threads feed it observations (GET /v1/config answers); what must be stored or
// announced leaves through the sink as DriftNotes - called on the caller's thread, holding no lock.
// Thread: every method is thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/drift/desired_state.hpp"
#include "controller/proxies/change_recorder.hpp"

namespace switchyard::controller::drift {

// Something to record: a new baseline, a drift found, a drift ended.
struct DriftNote {
  enum class Kind { baseline, found, resolved };
  Kind kind = Kind::baseline;
  std::string env;
  std::string proxy;
  std::int64_t at_ms = 0;
  std::string config_hash;           // baseline: the proxy's hash when known
  std::string desired_json;          // baseline: the desired state
  std::string reason;                // baseline: why (first seen, controller change, guard trip, accepted)
  std::vector<std::string> diff;     // found
  std::int64_t detected_ms = -1;     // found: from the proxy's change event to detection; -1 unknown
  std::string resolution;            // resolved: remediated | reverted | superseded | accepted
  std::string resolved_by;           // resolved
};

// One proxy's drift status as the API shows it.
struct DriftStatus {
  std::string env{};
  std::string proxy{};
  std::string state = "unknown";  // unknown (not checked yet) | in_sync | drifted | unreachable
  std::vector<std::string> diff{};
  std::int64_t since_ms = 0;       // when the state began
  std::int64_t last_check_ms = 0;
  std::string error{};               // unreachable: why
  bool remediate_auto = false;
  std::uint64_t incidents = 0;     // since the controller started
  std::uint64_t remediations = 0;
};

// For the controller's /metrics.
struct DriftFigures {
  std::vector<DriftStatus> proxies;   // state per env/proxy (drifted = an active drift)
  std::uint64_t incidents_total = 0;  // drifts found since start
  std::uint64_t remediations_total = 0;
};

// What the detector should do after an observation.
struct Verdict {
  enum class Kind { in_sync, drifted, retry } kind = Kind::in_sync;
  bool remediate = false;  // drifted in an auto environment
};

class DriftRegistry : public proxies::ChangeRecorder {
 public:
  using Sink = std::function<void(const DriftNote&)>;
  DriftRegistry(std::set<std::string> managed_routes, Sink sink);

  // Setup, before any detector or proxy call runs.
  void add_proxy(const std::string& env, const std::string& proxy, bool remediate_auto);

  // proxies::ChangeRecorder
  void begin(const std::string& proxy) override;
  void end(const std::string& proxy, const proxies::ProxyChange& change, bool applied) override;

  // Remediation: holds the proxy's change lock (controller changes wait) while it is alive.
  std::unique_lock<std::mutex> hold(const std::string& proxy);
  // Changes begun or ended so far (the detector discards an observation that spans one).
  std::uint64_t generation(const std::string& proxy) const;
  bool in_flight(const std::string& proxy) const;

  // A proxy event saw a guard trip on `route`: the proxy's own move, adopted at the next check.
  void guard_tripped(const std::string& env, const std::string& proxy, const std::string& route);
  // The time (wall ms) of the proxy's latest config-changing event, for detected_ms.
  void changed_at(const std::string& env, const std::string& proxy, std::int64_t at_ms);

  // A GET /v1/config answer taken while generation() was `generation`.
  Verdict observe(const std::string& env, const std::string& proxy, std::uint64_t generation,
                  const std::string& hash, const boost::json::value& config);
  void unreachable(const std::string& env, const std::string& proxy, const std::string& error);
  // After a remediation: the config read back; true when it is in sync again.
  bool remediated(const std::string& env, const std::string& proxy, const std::string& hash,
                  const boost::json::value& config);
  // Adopts `config` as the desired state (POST /v1/drift/accept).
  void accept(const std::string& env, const std::string& proxy, const std::string& hash,
              const boost::json::value& config, const std::string& actor);

  std::optional<DesiredState> desired(const std::string& env, const std::string& proxy) const;
  std::vector<DriftStatus> status(const std::string& env_filter) const;
  DriftFigures figures() const;

 private:
  struct ProxyLock {
    std::mutex change;
    std::atomic<int> in_flight{0};
    std::atomic<std::uint64_t> generation{0};
  };
  struct Entry {
    DriftStatus status;
    std::optional<DesiredState> desired;
    std::string sync_hash;             // the proxy's hash when last seen in sync
    std::set<std::string> tripped;     // routes whose guard tripped since the last check
    std::int64_t last_change_ms = 0;   // latest config-changing proxy event
    std::uint64_t found_generation = 0;
  };

  Entry* find(const std::string& env, const std::string& proxy);
  void baseline(Entry& entry, const std::string& hash, const std::string& reason, std::vector<DriftNote>& notes);
  void resolve(Entry& entry, const std::string& resolution, const std::string& by, std::vector<DriftNote>& notes);
  void flush(std::vector<DriftNote>& notes);

  const std::set<std::string> managed_routes_;
  Sink sink_;
  std::map<std::string, std::unique_ptr<ProxyLock>> locks_;  // by proxy; fixed after setup
  mutable std::mutex mutex_;                                 // guards entries_
  std::map<std::pair<std::string, std::string>, Entry> entries_;  // by env, proxy
  std::uint64_t incidents_total_ = 0;
  std::uint64_t remediations_total_ = 0;
};

std::int64_t wall_ms();
// The controller's registry (installed as the process's ChangeRecorder by main.cpp); null when
// none is installed. For the API and /metrics: `if (auto r = installed_registry()) r->figures()`.
std::shared_ptr<DriftRegistry> installed_registry();

}  // namespace switchyard::controller::drift
