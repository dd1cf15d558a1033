// StateStore: the newest events (the dashboard's first look at the timeline).
#include "controller/store/state_store.hpp"

namespace switchyard::controller::store {

Result<std::vector<EventRow>> StateStore::latest_events(std::int64_t limit) {
  Statement s(db_,
              "SELECT seq, at, kind, app, env, rollout_id, detail FROM "
              "(SELECT * FROM events ORDER BY seq DESC LIMIT ?) ORDER BY seq");
  s.bind(1, limit);
  std::vector<EventRow> rows;
  int rc = SQLITE_ROW;
  while ((rc = s.step()) == SQLITE_ROW) {
    rows.push_back(EventRow{s.int_at(0), s.int_at(1), s.text_at(2), s.text_at(3), s.text_at(4), s.optional_int_at(5),
                            s.text_at(6)});
  }
  if (rc != SQLITE_DONE) return Result<std::vector<EventRow>>::failure(s.error());
  return rows;
}

}  // namespace switchyard::controller::store
