#pragma once
// DriftJournal: writes the DriftRegistry's notes down - baselines and incidents in the state
// store, `drift_found` / `drift_resolved` through RolloutEngine::record_event (so listeners such
// as webhooks and metrics see them). Thread: control thread only; sink() gives a callback for the
// registry that posts each note there.

#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>

#include "controller/drift/drift_registry.hpp"
#include "controller/engine/rollout_engine.hpp"

namespace switchyard::controller::drift {

class DriftJournal {
 public:
  explicit DriftJournal(engine::RolloutEngine& engine) : engine_(engine) {}
  void write(const DriftNote& note);

 private:
  void record(const DriftNote& note, const char* kind, const boost::json::object& detail);
  engine::RolloutEngine& engine_;
};

// A registry sink that posts each note to `control`, where `journal` writes it.
DriftRegistry::Sink journal_sink(boost::asio::io_context& control, DriftJournal& journal);

}  // namespace switchyard::controller::drift
