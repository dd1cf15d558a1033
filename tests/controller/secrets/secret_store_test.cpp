// SecretStore on a real SQLite state file: versions, audit rows (actor, version, never a value),
// no key / wrong key, rekey, tampering, and no plaintext in the file's bytes.
#include "controller/secrets/secret_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "controller/secrets/secret_cipher.hpp"
#include "controller/store/state_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::secrets {
namespace {

SecretKey key_of(char fill) {
  std::array<unsigned char, SecretKey::kSize> bytes{};
  bytes.fill(static_cast<unsigned char>(fill));
  return SecretKey(bytes);
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class SecretStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/state.db";
    ASSERT_TRUE(state_.open(path_).ok());  // as the controller: StateStore first, then this
  }
  test::TempDir dir_;
  std::string path_;
  store::StateStore state_;
};

TEST_F(SecretStoreTest, VersionsAndAuditRowsNeverHoldValues) {
  SecretStore secrets;
  ASSERT_EQ(secrets.open(path_, key_of('k')), "");
  EXPECT_EQ(secrets.unavailable(), "");
  auto first = secrets.put("DB_PASSWORD", "correct horse", "alice@host", "set");
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_EQ(first.value.version, 1);
  auto second = secrets.put("DB_PASSWORD", "battery staple", "bob@host", "rotate");
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(second.value.version, 2);
  ASSERT_TRUE(secrets.put("API_TOKEN", "t0ken", "alice@host", "set").ok());

  std::int64_t version = 0;
  auto value = secrets.get("DB_PASSWORD", "carol@host", version);
  ASSERT_TRUE(value.ok()) << value.error;
  EXPECT_EQ(value.value, "battery staple");
  EXPECT_EQ(version, 2);

  auto listed = secrets.list("dave@host");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed.value.size(), 2u);
  EXPECT_EQ(listed.value[0].name, "API_TOKEN");
  EXPECT_EQ(listed.value[1].version, 2);
  EXPECT_EQ(listed.value[1].created_by, "bob@host");

  auto resolved = secrets.resolve({"DB_PASSWORD", "API_TOKEN"}, "app=shop env=test version=v2");
  ASSERT_TRUE(resolved.ok()) << resolved.error;
  EXPECT_EQ(resolved.value.at("API_TOKEN"), "t0ken");

  auto versions = secrets.current_versions({"DB_PASSWORD", "API_TOKEN", "NOPE"});
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions.value, (std::map<std::string, std::int64_t>{{"API_TOKEN", 1}, {"DB_PASSWORD", 2}, {"NOPE", 0}}));

  auto audit = secrets.audit("DB_PASSWORD");
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> seen;
  for (const auto& row : audit.value) {
    seen.push_back(row.action + " " + row.actor + " v" + std::to_string(row.version));
    EXPECT_GT(row.at, 0);
    EXPECT_EQ(row.detail.find("battery"), std::string::npos);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"set alice@host v1", "rotate bob@host v2", "get carol@host v2",
                                            "resolve controller v2"}));
  EXPECT_EQ(audit.value.back().detail, "app=shop env=test version=v2");

  auto history = secrets.versions("DB_PASSWORD");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history.value.size(), 2u);
  EXPECT_EQ(history.value[0].version, 2);

  // No plaintext in the state file or its WAL.
  for (const auto& file : {path_, path_ + "-wal"}) {
    const auto bytes = file_bytes(file);
    for (const char* plain : {"correct horse", "battery staple", "t0ken"}) {
      EXPECT_EQ(bytes.find(plain), std::string::npos) << plain << " in " << file;
    }
  }
}

TEST_F(SecretStoreTest, BadNamesValuesAndUnknownSecrets) {
  SecretStore secrets;
  ASSERT_EQ(secrets.open(path_, key_of('k')), "");
  for (const char* bad : {"", "db_password", "1ABC", "A-B", "A B"}) {
    auto put = secrets.put(bad, "x", "t", "set");
    EXPECT_EQ(put.status, 400) << bad;
    EXPECT_NE(put.error.find("name must match"), std::string::npos);
  }
  EXPECT_TRUE(secrets.put(std::string(64, 'A'), "x", "t", "set").ok());
  EXPECT_EQ(secrets.put(std::string(65, 'A'), "x", "t", "set").status, 400);
  EXPECT_TRUE(secrets.put("BIG", std::string(kMaxValueBytes, 'x'), "t", "set").ok());
  EXPECT_EQ(secrets.put("BIG", std::string(kMaxValueBytes + 1, 'x'), "t", "set").status, 400);
  EXPECT_EQ(secrets.put("NEW", "x", "t", "rotate").status, 404);
  std::int64_t version = 0;
  EXPECT_EQ(secrets.get("MISSING", "t", version).status, 404);
  auto resolved = secrets.resolve({"BIG", "MISSING"}, "");
  EXPECT_EQ(resolved.status, 404);
  EXPECT_NE(resolved.error.find("MISSING"), std::string::npos);
}

TEST_F(SecretStoreTest, NoKeyAndWrongKeyFailCleanly) {
  {
    SecretStore secrets;
    ASSERT_EQ(secrets.open(path_, key_of('k')), "");
    ASSERT_TRUE(secrets.put("DB_PASSWORD", "hunter2", "t", "set").ok());
  }
  SecretStore none;
  ASSERT_EQ(none.open(path_, std::nullopt), "");
  EXPECT_EQ(none.unavailable(), kNoKeyMessage);
  EXPECT_EQ(none.list("t").status, 503);
  EXPECT_EQ(none.resolve({"DB_PASSWORD"}, "").error, kNoKeyMessage);

  SecretStore wrong;
  ASSERT_EQ(wrong.open(path_, key_of('j')), "");
  const auto expected = "secrets key does not match the store (key id " + key_of('j').id() +
                        "; the store was sealed under key id " + key_of('k').id() + ")";
  EXPECT_EQ(wrong.unavailable(), expected);
  std::int64_t version = 0;
  auto got = wrong.get("DB_PASSWORD", "t", version);
  EXPECT_EQ(got.status, 503);
  EXPECT_EQ(got.error, expected);
  EXPECT_EQ(got.value, "");
  EXPECT_EQ(wrong.put("OTHER", "x", "t", "set").status, 503);
}

TEST_F(SecretStoreTest, RekeyReencryptsEveryVersion) {
  SecretStore secrets;
  ASSERT_EQ(secrets.open(path_, key_of('k')), "");
  ASSERT_TRUE(secrets.put("A", "one", "t", "set").ok());
  ASSERT_TRUE(secrets.put("A", "two", "t", "rotate").ok());
  ASSERT_TRUE(secrets.put("B", "three", "t", "set").ok());
  auto done = secrets.rekey(key_of('n'), "admin");
  ASSERT_TRUE(done.ok()) << done.error;
  EXPECT_EQ(done.value, 3);
  std::int64_t version = 0;
  EXPECT_EQ(secrets.get("A", "t", version).value, "two");

  SecretStore with_new;
  ASSERT_EQ(with_new.open(path_, key_of('n')), "");
  EXPECT_EQ(with_new.get("B", "t", version).value, "three");
  SecretStore with_old;
  ASSERT_EQ(with_old.open(path_, key_of('k')), "");
  EXPECT_EQ(with_old.get("B", "t", version).status, 503);
  auto audit = with_new.audit("A");
  ASSERT_TRUE(audit.ok());
  bool rekeyed = false;
  for (const auto& row : audit.value) rekeyed = rekeyed || (row.action == "rekey" && row.actor == "admin");
  EXPECT_TRUE(rekeyed);
}

TEST_F(SecretStoreTest, TamperedOrSwappedRowsFailToDecrypt) {
  SecretStore secrets;
  ASSERT_EQ(secrets.open(path_, key_of('k')), "");
  ASSERT_TRUE(secrets.put("A", "alpha", "t", "set").ok());
  ASSERT_TRUE(secrets.put("B", "bravo", "t", "set").ok());
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  // B's ciphertext and nonce copied into A's row: the AAD "A:1" no longer matches.
  ASSERT_EQ(sqlite3_exec(raw,
                         "UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets WHERE name = 'B'), "
                         "nonce = (SELECT nonce FROM secrets WHERE name = 'B') WHERE name = 'A'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  std::int64_t version = 0;
  auto got = secrets.get("A", "t", version);
  EXPECT_EQ(got.status, 500);
  EXPECT_NE(got.error.find("secret 'A' version 1 cannot be decrypted"), std::string::npos) << got.error;
  EXPECT_EQ(secrets.get("B", "t", version).value, "bravo");
}

TEST_F(SecretStoreTest, UsableFromTwoThreadsBesideTheStateStore) {
  SecretStore secrets;
  ASSERT_EQ(secrets.open(path_, key_of('k')), "");
  ASSERT_TRUE(secrets.put("A", "alpha", "t", "set").ok());
  std::thread resolver([&] {
    for (int i = 0; i < 50; ++i) EXPECT_TRUE(secrets.resolve({"A"}, "").ok());
  });
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(secrets.put("B", std::to_string(i), "t", "set").ok());
    store::EventRow event;
    event.at = i;
    event.kind = "test";
    EXPECT_TRUE(state_.append_event(event).ok());
  }
  resolver.join();
  EXPECT_EQ(secrets.current_versions({"B"}).value.at("B"), 50);
}

}  // namespace
}  // namespace switchyard::controller::secrets
