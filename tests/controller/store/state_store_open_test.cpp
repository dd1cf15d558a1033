// Opening the state file: schema creation and migration, reopening, bad paths, a locked file,
// and durability across a controller killed with SIGKILL.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "controller/store/schema.hpp"
#include "tests/controller/store/store_test_util.hpp"

namespace switchyard::controller::store {
namespace {

using test::new_rollout;
using test::open_ok;
using test::RawConnection;

TEST(StateStoreOpen, CreatesSchemaWithWalAndVersion) {
  switchyard::test::TempDir dir;
  const std::string path = dir.path() + "/state.db";
  StateStore store;
  open_ok(store, path);
  EXPECT_TRUE(store.is_open());
  RawConnection raw(path);
  EXPECT_EQ(raw.scalar("SELECT version FROM schema_version"), current_schema_version());
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM schema_version"), 1);
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                       "('rollouts', 'rollout_transitions', 'analysis_results', 'instances', 'events')"),
            5);
  EXPECT_EQ(raw.scalar("SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
}

TEST(StateStoreOpen, OpeningTwiceIsIdempotentAndKeepsData) {
  switchyard::test::TempDir dir;
  const std::string path = dir.path() + "/state.db";
  std::int64_t id = 0;
  {
    StateStore first;
    open_ok(first, path);
    auto created = first.create_rollout(new_rollout("shop", "staging", "v2", 1000));
    ASSERT_TRUE(created.ok()) << created.error();
    id = created.value();
  }
  for (int round = 0; round < 2; ++round) {
    StateStore again;
    open_ok(again, path);
    auto row = again.get_rollout(id);
    ASSERT_TRUE(row.ok() && row.value().has_value());
    EXPECT_EQ(row.value()->version, "v2");
  }
  RawConnection raw(path);
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM schema_version"), 1);
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM rollouts"), 1);
}

TEST(StateStoreOpen, SecondOpenOnOneObjectIsRefused) {
  switchyard::test::TempDir dir;
  StateStore store;
  open_ok(store, dir.path() + "/a.db");
  auto status = store.open(dir.path() + "/b.db");
  EXPECT_EQ(status.error, "state file '" + dir.path() + "/b.db': store is already open");
}

TEST(StateStoreOpen, BadPathGivesClearError) {
  switchyard::test::TempDir dir;
  StateStore store;
  const std::string path = dir.path() + "/no/such/dir/state.db";
  auto status = store.open(path);
  EXPECT_EQ(status.error, "state file '" + path + "': cannot open: unable to open database file");
  EXPECT_FALSE(store.is_open());
  // A failed store answers with errors, not crashes.
  auto rollouts = store.list_rollouts("", 10);
  EXPECT_FALSE(rollouts.ok());
}

TEST(StateStoreOpen, NotADatabaseGivesClearError) {
  switchyard::test::TempDir dir;
  const std::string path = dir.write_file("junk.db", std::string(4096, 'x'));
  StateStore store;
  auto status = store.open(path);
  EXPECT_EQ(status.error.rfind("state file '" + path + "': ", 0), 0u) << status.error;
  EXPECT_NE(status.error.find("not a database"), std::string::npos) << status.error;
}

TEST(StateStoreOpen, NewerSchemaIsRefused) {
  switchyard::test::TempDir dir;
  const std::string path = dir.path() + "/state.db";
  {
    StateStore store;
    open_ok(store, path);
  }
  RawConnection(path).exec("UPDATE schema_version SET version = 999");
  StateStore store;
  auto status = store.open(path);
  EXPECT_EQ(status.error, "state file '" + path + "': schema version 999 is newer than this controller's (" +
                              std::to_string(current_schema_version()) + ")");
}

TEST(StateStoreOpen, LockedFileFailsWithinBusyTimeout) {
  switchyard::test::TempDir dir;
  const std::string path = dir.path() + "/state.db";
  StateStore first;
  open_ok(first, path);
  RawConnection holder(path);
  ASSERT_EQ(holder.exec("BEGIN EXCLUSIVE"), "");

  StateStore second;
  const auto start = std::chrono::steady_clock::now();
  auto status = second.open(path, StoreOptions{200});
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.error, "state file '" + path + "': database is locked");
  EXPECT_GE(waited, std::chrono::milliseconds(150));  // it did wait for the lock ...
  EXPECT_LT(waited, std::chrono::seconds(3));         // ... but only as long as it was told

  // An already open store meets the same bounded wait on a write, and recovers once the lock goes.
  StateStore writer;
  ASSERT_EQ(holder.exec("COMMIT"), "");
  open_ok(writer, path, StoreOptions{200});
  ASSERT_EQ(holder.exec("BEGIN EXCLUSIVE"), "");
  auto blocked = writer.append_event(EventRow{0, 1, "test", "", "", std::nullopt, "{}"});
  EXPECT_EQ(blocked.error(), "database is locked");
  ASSERT_EQ(holder.exec("COMMIT"), "");
  auto after = writer.append_event(EventRow{0, 2, "test", "", "", std::nullopt, "{}"});
  EXPECT_TRUE(after.ok()) << after.error();
}

// What makes `kill -9` resume possible: a committed transition survives the process dying
// without closing anything, and a fresh StateStore on the file sees it.
TEST(StateStoreOpen, CommittedStateSurvivesSigkill) {
  switchyard::test::TempDir dir;
  const std::string path = dir.path() + "/state.db";
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    StateStore store;
    if (!store.open(path).ok()) _exit(3);
    auto id = store.create_rollout(new_rollout("shop", "production", "v7", 100));
    if (!id.ok()) _exit(4);
    if (!store.update_rollout_state(id.value(), "step", 2, 25, "promoted", 200).ok()) _exit(5);
    raise(SIGKILL);
    _exit(6);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  StateStore store;
  open_ok(store, path);
  auto active = store.active_rollout("shop", "production");
  ASSERT_TRUE(active.ok()) << active.error();
  ASSERT_TRUE(active.value().has_value());
  EXPECT_EQ(active.value()->state, "step");
  EXPECT_EQ(active.value()->step_index, 2);
  EXPECT_EQ(active.value()->weight, 25);
  auto transitions = store.transitions(active.value()->id);
  ASSERT_TRUE(transitions.ok());
  EXPECT_EQ(transitions.value().size(), 2u);
}

}  // namespace
}  // namespace switchyard::controller::store
