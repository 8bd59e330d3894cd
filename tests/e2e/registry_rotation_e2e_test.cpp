// `c2pctl keys rotate` against a running c2pd (issue 4): every sealed row moves to the new
// key version while c2pd keeps registering and reading cards, after which the old key can
// be removed and everything still opens.

#include <atomic>

#include "tests/e2e/registry_fixture.hpp"

namespace c2p::testing {
namespace {

class RotationE2e : public RegistryE2e {
 protected:
  // Rows with a sealed field under `version`.
  static std::int64_t RowsUnder(const std::string& version);
};

std::int64_t RotationE2e::RowsUnder(const std::string& version) {
  // The blob header is 'v', the version's length, then the version (vault/seal.hpp).
  const std::string header = BlobLiteral("76" + [&] {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex += kHex[version.size() >> 4];
    hex += kHex[version.size() & 0xf];
    for (const unsigned char c : version) {
      hex += kHex[c >> 4];
      hex += kHex[c & 0xf];
    }
    return hex;
  }());
  const std::string n = std::to_string(version.size() + 2);
  return QueryInt("SELECT (SELECT COUNT(*) FROM cards WHERE substr(pan, 1, " + n + ") = " + header +
                  " OR substr(exp, 1, " + n + ") = " + header + " OR substr(name, 1, " + n +
                  ") = " + header +
                  ") + (SELECT COUNT(*) FROM consumers WHERE substr(personal_information, 1, " + n +
                  ") = " + header + ")");
}

TEST_F(RotationE2e, RotateReencryptsEveryRowWhileServingThenTheOldKeyIsRemovable) {
  // Data under v1: cards (one with a cardholder name) and personal information.
  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "cons_rot"), kInfo).status, 201);
  const std::string named_pan = Pan("411111000000100");
  auto named_body = [&] {
    return R"({"consumerId":"cons_rot","cardProductId":"VISA_CLASSIC","encryptedData":")" +
           Jwe(named_pan, "1230", "JANE DOE") + "\"}";
  };
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "crd_rot0"), named_body()).status, 201);
  for (int i = 1; i < 5; ++i) {
    ASSERT_EQ(Call("PUT", Card(kIssuerA, "crd_rot" + std::to_string(i)),
                   CardBody("cons_rot", Pan("41111100000010" + std::to_string(i))))
                  .status,
              201);
  }
  EXPECT_GT(RowsUnder("pan-v1"), 5);

  // v2 joins as the encrypting key; v1 still opens.
  Generate("pan", "pan-v2.jwk", "pan-v2");
  StartDaemon({"pan-v1.jwk", "pan-v2.jwk"});
  auto fresh =
      Call("PUT", Card(kIssuerA, "crd_rot_new"), CardBody("cons_rot", Pan("411111000000200")));
  ASSERT_EQ(fresh.status, 201);
  EXPECT_EQ(RowsUnder("pan-v1"), 6);  // 5 cards + the consumer; the new card is under v2

  // Rotate while a client keeps writing and reading.
  std::atomic<bool> stop{false};
  std::atomic<int> served{0};
  std::atomic<int> failed{0};
  Token(kIssuerA);
  std::thread client([&] {
    for (int i = 0; !stop; ++i) {
      const std::string id = "crd_busy" + std::to_string(i);
      const int put = Call("PUT", Card(kIssuerA, id),
                           CardBody("cons_rot", Pan("4111110003" + std::to_string(10000 + i))))
                          .status;
      const int get = Call("GET", Card(kIssuerA, "crd_rot" + std::to_string(i % 5))).status;
      (put == 201 && get == 200 ? served : failed)++;
    }
  });
  auto rotate = Process::Start(
      {BinDir() + "/c2pctl", "keys", "rotate", "--config", ConfigPath(), "--batch", "2"},
      dir_ + "/rotate.out");
  ASSERT_TRUE(rotate);
  const auto rc = rotate->Wait(std::chrono::seconds(60));
  ASSERT_TRUE(Eventually([&] { return served.load() >= 3; }, std::chrono::seconds(30)));
  stop = true;
  client.join();
  ASSERT_EQ(rc, 0) << ReadFile(dir_ + "/rotate.out");
  EXPECT_NE(ReadFile(dir_ + "/rotate.out").find("under key version pan-v2"), std::string::npos);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(RowsUnder("pan-v1"), 0);
  EXPECT_GT(RowsUnder("pan-v2"), 6);

  // v1 removed: every card and the personal information still open.
  StartDaemon({"pan-v2.jwk"});
  for (int i = 0; i < 5; ++i) {
    auto r = Call("GET", Card(kIssuerA, "crd_rot" + std::to_string(i)));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Body(r).at("exp"), "12/30");
  }
  auto consumer = Call("GET", Consumer(kIssuerA, "cons_rot"));
  ASSERT_EQ(consumer.status, 200) << consumer.body;
  EXPECT_EQ(Body(consumer).at("personalInformation").at("email"), kTestEmail);
  // The named card's name opened too: re-sending its registration is "the same" (200).
  EXPECT_EQ(Call("PUT", Card(kIssuerA, "crd_rot0"), named_body()).status, 200);
}

TEST_F(RotationE2e, CheckConfigLoadsThePanKeyRing) {
  auto check = [&](const std::string& pan_list) {
    std::string config = ReadFile(ConfigPath());
    const auto start = config.find("pan = [");
    config.replace(start, config.find('\n', start) - start, "pan = " + pan_list);
    std::ofstream(dir_ + "/check.toml") << config;
    auto p = Process::Start({BinDir() + "/c2pd", "check-config", "--config", dir_ + "/check.toml"},
                            dir_ + "/check.out");
    return p ? p->Wait(std::chrono::seconds(20)) : std::nullopt;
  };
  EXPECT_EQ(check(R"(["pan-v1.jwk"])"), 0) << ReadFile(dir_ + "/check.out");
  // The same key version twice is a broken ring: refused before c2pd would start.
  EXPECT_EQ(check(R"(["pan-v1.jwk", "pan-v1.jwk"])"), 2);
  EXPECT_NE(ReadFile(dir_ + "/check.out").find("keys.pan"), std::string::npos);
}

}  // namespace
}  // namespace c2p::testing
