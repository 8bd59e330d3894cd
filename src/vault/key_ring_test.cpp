#include "vault/key_ring.hpp"

#include <gtest/gtest.h>

#include "vault/test_keys.hpp"

namespace c2p::vault {
namespace {

using testing::Key;
using testing::RandomKey;

core::Result<KeyRing> Create(std::vector<VaultKey> keys, std::size_t index_size = 32) {
  return KeyRing::Create(std::move(keys), RandomKey(index_size));
}

std::vector<VaultKey> Keys(std::initializer_list<std::pair<std::string, std::size_t>> spec) {
  std::vector<VaultKey> keys;
  for (const auto& [version, size] : spec) keys.push_back(Key(version, RandomKey(size)));
  return keys;
}

TEST(KeyRing, FirstKeyIsCurrentAndAllCanBeFound) {
  auto ring = Create(Keys({{"pan-2", 32}, {"pan-1", 32}}));
  ASSERT_TRUE(ring) << ring.error().message;
  EXPECT_EQ(ring->current_version(), "pan-2");
  EXPECT_NE(ring->Find("pan-1"), nullptr);
  EXPECT_NE(ring->Find("pan-2"), nullptr);
  EXPECT_EQ(ring->Find("pan-3"), nullptr);
  EXPECT_EQ(ring->Find(""), nullptr);
}

TEST(KeyRing, RefusesBadConfiguration) {
  const std::vector<std::pair<const char*, core::Result<KeyRing>>> cases = [] {
    std::vector<std::pair<const char*, core::Result<KeyRing>>> v;
    v.emplace_back("no key", Create({}));
    v.emplace_back("empty version", Create(Keys({{"", 32}})));
    v.emplace_back("65-byte version", Create(Keys({{std::string(65, 'v'), 32}})));
    v.emplace_back("space in version", Create(Keys({{"pan 1", 32}})));
    v.emplace_back("non-ASCII version", Create(Keys({{"pan\xC3\xA9", 32}})));
    v.emplace_back("duplicate", Create(Keys({{"k", 32}, {"k", 32}})));
    v.emplace_back("AES-128 key", Create(Keys({{"k", 16}})));
    v.emplace_back("long key", Create(Keys({{"k", 64}})));
    v.emplace_back("short index key", Create(Keys({{"k", 32}}), 31));
    return v;
  }();
  for (const auto& [what, ring] : cases) {
    ASSERT_FALSE(ring) << what;
    EXPECT_EQ(ring.error().code, core::ErrorCode::kConfigInvalid) << what;
  }
  EXPECT_TRUE(Create(Keys({{std::string(64, 'v'), 32}})));
}

}  // namespace
}  // namespace c2p::vault
