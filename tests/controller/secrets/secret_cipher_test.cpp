// AES-256-GCM sealing and key loading (controller/secrets): round trips, and every way a
// ciphertext can be wrong fails cleanly instead of yielding bytes.
#include "controller/secrets/secret_cipher.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/temp_dir.hpp"

namespace switchyard::controller::secrets {
namespace {

SecretKey key_of(char fill) {
  std::array<unsigned char, SecretKey::kSize> bytes{};
  bytes.fill(static_cast<unsigned char>(fill));
  return SecretKey(bytes);
}

TEST(SecretCipher, RoundTripsWithAFreshNonceEachTime) {
  const auto key = key_of('k');
  std::string error;
  const auto first = seal(key, "hunter2", "DB_PASSWORD:1", error);
  const auto second = seal(key, "hunter2", "DB_PASSWORD:1", error);
  ASSERT_TRUE(first && second) << error;
  EXPECT_EQ(first->nonce.size(), kNonceSize);
  EXPECT_EQ(first->ciphertext.size(), 7 + kTagSize);
  EXPECT_NE(first->nonce, second->nonce);
  EXPECT_NE(first->ciphertext, second->ciphertext);
  EXPECT_EQ(first->ciphertext.find("hunter2"), std::string::npos);
  const auto plain = unseal(key, *first, "DB_PASSWORD:1", error);
  ASSERT_TRUE(plain) << error;
  EXPECT_EQ(*plain, "hunter2");
}

TEST(SecretCipher, EmptyAndBinaryValuesRoundTrip) {
  const auto key = key_of('k');
  std::string error;
  const std::string binary("\0\x01\xff\n\"x", 6);
  for (const std::string& value : {std::string(), binary, std::string(32768, 'z')}) {
    const auto sealed = seal(key, value, "A:1", error);
    ASSERT_TRUE(sealed) << error;
    const auto plain = unseal(key, *sealed, "A:1", error);
    ASSERT_TRUE(plain) << error;
    EXPECT_EQ(*plain, value);
  }
}

TEST(SecretCipher, TamperedCiphertextTagOrNonceFails) {
  const auto key = key_of('k');
  std::string error;
  const auto sealed = seal(key, "hunter2", "A:1", error);
  ASSERT_TRUE(sealed);
  for (std::size_t i = 0; i < sealed->ciphertext.size(); ++i) {
    auto bad = *sealed;
    bad.ciphertext[i] = static_cast<char>(bad.ciphertext[i] ^ 0x01);
    error.clear();
    EXPECT_FALSE(unseal(key, bad, "A:1", error)) << "byte " << i;
    EXPECT_NE(error.find("authentication failed"), std::string::npos) << error;
  }
  auto bad_nonce = *sealed;
  bad_nonce.nonce[0] = static_cast<char>(bad_nonce.nonce[0] ^ 0x80);
  EXPECT_FALSE(unseal(key, bad_nonce, "A:1", error));
  auto truncated = *sealed;
  truncated.ciphertext.resize(4);
  EXPECT_FALSE(unseal(key, truncated, "A:1", error));
  EXPECT_EQ(error, "malformed ciphertext");
}

TEST(SecretCipher, CiphertextSwappedToAnotherRowFails) {
  const auto key = key_of('k');
  std::string error;
  const auto sealed = seal(key, "hunter2", secret_aad("A", 1), error);
  ASSERT_TRUE(sealed);
  EXPECT_FALSE(unseal(key, *sealed, secret_aad("A", 2), error));
  EXPECT_FALSE(unseal(key, *sealed, secret_aad("B", 1), error));
}

TEST(SecretCipher, WrongKeyFailsAndKeyIdsDiffer) {
  std::string error;
  const auto sealed = seal(key_of('k'), "hunter2", "A:1", error);
  ASSERT_TRUE(sealed);
  EXPECT_FALSE(unseal(key_of('j'), *sealed, "A:1", error));
  EXPECT_NE(key_of('k').id(), key_of('j').id());
  EXPECT_EQ(key_of('k').id().size(), 16u);
  EXPECT_EQ(key_of('k').check_value().substr(0, 16), key_of('k').id());
}

TEST(SecretKeyLoading, HexRawAndRefusedFiles) {
  test::TempDir dir;
  const std::string hex(64, 'a');
  auto loaded = key_from_hex(" " + hex + "\n", "SWITCHYARD_SECRETS_KEY");
  ASSERT_TRUE(loaded.key) << loaded.error;
  EXPECT_EQ(loaded.key->id(), key_of(static_cast<char>(0xaa)).id());
  EXPECT_FALSE(key_from_hex("abc", "SWITCHYARD_SECRETS_KEY").key);
  EXPECT_NE(key_from_hex(std::string(64, 'g'), "X").error.find("X: must be 64 hex"), std::string::npos);

  const auto hex_file = dir.write_file("hex.key", hex + "\n");
  ::chmod(hex_file.c_str(), 0600);
  loaded = key_from_file(hex_file);
  ASSERT_TRUE(loaded.key) << loaded.error;
  EXPECT_EQ(loaded.key->id(), key_of(static_cast<char>(0xaa)).id());

  const auto raw_file = dir.write_file("raw.key", std::string(32, 'k'));
  ::chmod(raw_file.c_str(), 0400);
  loaded = key_from_file(raw_file);
  ASSERT_TRUE(loaded.key) << loaded.error;
  EXPECT_EQ(loaded.key->id(), key_of('k').id());

  ::chmod(raw_file.c_str(), 0640);
  loaded = key_from_file(raw_file);
  EXPECT_FALSE(loaded.key);
  EXPECT_NE(loaded.error.find("controller.secrets_key_file: '" + raw_file + "': must not be readable"), std::string::npos)
      << loaded.error;

  const auto short_file = dir.write_file("short.key", "tooshort");
  ::chmod(short_file.c_str(), 0600);
  EXPECT_NE(key_from_file(short_file).error.find("32 raw bytes or 64 hex"), std::string::npos);
  EXPECT_FALSE(key_from_file(dir.path() + "/missing.key").key);
}

TEST(SecretCipher, Sha256Hex) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace switchyard::controller::secrets
