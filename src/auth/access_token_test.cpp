#include "auth/access_token.hpp"

#include <gtest/gtest.h>

#include "jose/base64url.hpp"

namespace c2p::auth {
namespace {

using namespace std::chrono_literals;

jose::OctKey Key(std::string kid) {
  jose::OctKey k = jose::OctKey::Generate(32);
  k.set_kid(std::move(kid));
  return k;
}

std::vector<jose::OctKey> Keys(std::string kid) {
  std::vector<jose::OctKey> v;
  v.push_back(Key(std::move(kid)));
  return v;
}

const core::SystemTime kNow = core::FromUnixMillis(1'768'631'282'000);

TEST(AccessTokens, IssuedTokenVerifiesWithItsClaims) {
  AccessTokens tokens(Keys("k1"));
  const std::string t = tokens.Issue("ISSUER0001", kNow);
  EXPECT_TRUE(t.starts_with("c2p1.k1."));
  auto claims = tokens.Verify(t, kNow + 10s);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->issuer_id, "ISSUER0001");
  EXPECT_EQ(claims->expires_at - claims->issued_at, 900);
  EXPECT_EQ(claims->token_id.size(), 22u);
}

TEST(AccessTokens, ExpiredTokenIsRefused) {
  AccessTokens tokens(Keys("k1"));
  const std::string t = tokens.Issue("ISSUER0001", kNow);
  EXPECT_TRUE(tokens.Verify(t, kNow + 899s));
  auto late = tokens.Verify(t, kNow + 900s);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::ErrorCode::kUnauthorized);
}

TEST(AccessTokens, AnyChangedByteIsRefused) {
  AccessTokens tokens(Keys("k1"));
  const std::string t = tokens.Issue("ISSUER0001", kNow);
  for (std::size_t i = 0; i < t.size(); ++i) {
    std::string bad = t;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    if (bad == t) continue;
    EXPECT_FALSE(tokens.Verify(bad, kNow)) << "byte " << i;
  }
}

// The same, with the genuine token verified (so remembered by this thread) first: the
// memo must match whole tokens only.
TEST(AccessTokens, AnyChangedByteOfARememberedTokenIsRefused) {
  AccessTokens tokens(Keys("k1"));
  const std::string t = tokens.Issue("ISSUER0001", kNow);
  for (std::size_t i = 0; i < t.size(); ++i) {
    ASSERT_TRUE(tokens.Verify(t, kNow));
    std::string bad = t;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(tokens.Verify(bad, kNow)) << "byte " << i;
  }
  EXPECT_FALSE(tokens.Verify(t + "A", kNow));
  EXPECT_FALSE(tokens.Verify(t.substr(0, t.size() - 1), kNow));
}

TEST(AccessTokens, RememberedTokenStillExpires) {
  AccessTokens tokens(Keys("k1"));
  const std::string t = tokens.Issue("ISSUER0002", kNow);
  for (int i = 0; i < 3; ++i) {
    auto claims = tokens.Verify(t, kNow + 1s);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->issuer_id, "ISSUER0002");
    EXPECT_EQ(claims->token_id.size(), 22u);
  }
  EXPECT_FALSE(tokens.Verify(t, kNow + 900s));
  EXPECT_FALSE(tokens.Verify(t, kNow + 901s));
}

TEST(AccessTokens, ClaimsSwappedUnderTheSameMacAreRefused) {
  AccessTokens tokens(Keys("k1"));
  const std::string a = tokens.Issue("ISSUER0001", kNow);
  const std::string b = tokens.Issue("ISSUER0002", kNow);
  // a's header and claims with b's MAC.
  const std::string forged = a.substr(0, a.rfind('.')) + b.substr(b.rfind('.'));
  EXPECT_FALSE(tokens.Verify(forged, kNow));
}

TEST(AccessTokens, TokenOfAnotherKeyIsRefused) {
  AccessTokens mine(Keys("k1"));
  AccessTokens theirs(Keys("k1"));  // same kid, other bytes
  EXPECT_FALSE(mine.Verify(theirs.Issue("ISSUER0001", kNow), kNow));
}

// A token another key set accepted (and this thread remembers) is still not ours.
TEST(AccessTokens, TokenRememberedForAnotherKeySetIsRefused) {
  AccessTokens mine(Keys("k1"));
  AccessTokens theirs(Keys("k1"));
  const std::string t = theirs.Issue("ISSUER0001", kNow);
  ASSERT_TRUE(theirs.Verify(t, kNow));
  EXPECT_FALSE(mine.Verify(t, kNow));
  AccessTokens moved = std::move(theirs);  // same keys: still accepted
  EXPECT_TRUE(moved.Verify(t, kNow));
}

TEST(AccessTokens, RotationKeepsOldTokensValidWhileTheOldKeyIsListed) {
  std::vector<jose::OctKey> old_keys;
  old_keys.push_back(Key("old"));
  const jose::OctKey old_copy = *jose::OctKey::FromJwk(old_keys[0].ToJwk());
  AccessTokens before(std::move(old_keys));
  const std::string issued_before = before.Issue("ISSUER0001", kNow);

  std::vector<jose::OctKey> rotated;
  rotated.push_back(Key("new"));
  jose::OctKey kept = *jose::OctKey::FromJwk(old_copy.ToJwk());
  kept.set_kid("old");
  rotated.push_back(std::move(kept));
  AccessTokens after(std::move(rotated));
  EXPECT_TRUE(after.Verify(issued_before, kNow));
  EXPECT_TRUE(after.Issue("ISSUER0001", kNow).starts_with("c2p1.new."));
}

TEST(AccessTokens, GarbageIsRefusedWithoutEchoingIt) {
  AccessTokens tokens(Keys("k1"));
  for (const std::string& bad :
       {std::string(), std::string("c2p1"), std::string("c2p1.k1.e30.AAAA"),
        std::string("c2p1.k1.e30"), std::string("c2p1.k1.a.b.c"), std::string("eyJhbGci.x.y"),
        std::string(2000, 'a'), std::string("c2p1.unknown.e30.AAAA")}) {
    auto r = tokens.Verify(bad, kNow);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().message, "invalid or expired access token");
  }
}

TEST(AccessTokens, KeysWithoutKidOrTooShortAreAStartupError) {
  std::vector<jose::OctKey> none;
  EXPECT_THROW(AccessTokens{std::move(none)}, std::invalid_argument);
  std::vector<jose::OctKey> short_key;
  short_key.push_back(jose::OctKey::Generate(16));
  short_key.back().set_kid("k");
  EXPECT_THROW(AccessTokens{std::move(short_key)}, std::invalid_argument);
}

}  // namespace
}  // namespace c2p::auth
