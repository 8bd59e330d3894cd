#include "networks/directory_call.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "jose/jwk.hpp"
#include "jose/key_file.hpp"

namespace c2p::networks {
namespace {

namespace fs = std::filesystem;

class LoadSecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("c2p-networks-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    key_ = jose::RsaKey::Generate();
    ASSERT_TRUE(jose::WriteJwkFile(dir_ / "pub.jwk", key_.ToPublicJwk(), false));
    auto priv = key_.ToPrivateJwk();
    ASSERT_TRUE(jose::WriteJwkFile(dir_ / "priv.jwk", priv, true));
    jose::WipeJwkSecrets(priv);
    std::ofstream(dir_ / "api") << "ak_123\n";
    std::ofstream(dir_ / "empty") << "\n";
    std::ofstream(dir_ / "spaced") << "a b\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  jose::RsaKey key_ = jose::RsaKey::Generate();
};

TEST_F(LoadSecretsTest, ReadsTheApiKeyAndThePublicKey) {
  ConnectorConfig c;
  ASSERT_TRUE(LoadConnectorSecrets(c, dir_ / "api", dir_ / "pub.jwk", "networks.visa"));
  EXPECT_EQ(c.api_key, "ak_123");
  ASSERT_TRUE(c.encryption_key);
  EXPECT_FALSE(c.encryption_key->has_private());
  EXPECT_FALSE(EncryptForNetwork(c, core::SecretBytes(std::string_view("{}"))).empty());
}

TEST_F(LoadSecretsTest, RefusalsNameTheKey) {
  ConnectorConfig c;
  auto r = LoadConnectorSecrets(c, dir_ / "nope", dir_ / "pub.jwk", "networks.visa");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "networks.visa.api_key_file: cannot be read");
  r = LoadConnectorSecrets(c, dir_ / "empty", dir_ / "pub.jwk", "networks.visa");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("networks.visa.api_key_file: ", 0), 0U);
  r = LoadConnectorSecrets(c, dir_ / "spaced", dir_ / "pub.jwk", "networks.visa");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("a b"), std::string::npos);
  r = LoadConnectorSecrets(c, dir_ / "api", dir_ / "api", "networks.mastercard");
  EXPECT_EQ(r.error().message, "networks.mastercard.encryption_key: cannot be read");
  r = LoadConnectorSecrets(c, dir_ / "api", dir_ / "priv.jwk", "networks.visa");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("private"), std::string::npos);
}

TEST(ExternalIds, Pattern) {
  EXPECT_TRUE(IsExternalId("cons_1.a:b-c"));
  EXPECT_FALSE(IsExternalId(""));
  EXPECT_FALSE(IsExternalId("a/b"));
  EXPECT_FALSE(IsExternalId(std::string(65, 'a')));
  EXPECT_TRUE(IsExternalId(std::string(65, 'a'), 128));
}

TEST(ConnectorFailures, BadIdNamesTheFieldNotTheValue) {
  const Failure f = BadIdFailure("externalCardId");
  EXPECT_EQ(f.reason, FailureReason::kRejected);
  EXPECT_FALSE(f.retryable);
  EXPECT_EQ(f.fields, std::vector<std::string>{"externalCardId"});
  EXPECT_EQ(f.message, "externalCardId is not a valid id");
}

TEST(ConnectorFailures, IncompleteCarriesTheNormalisersRefusal) {
  const Failure f = IncompleteFailure(
      NormaliseError{{"firstName", "email"}, "missing or unusable for visa: firstName, email"});
  EXPECT_EQ(f.reason, FailureReason::kDataIncomplete);
  EXPECT_EQ(f.fields, (std::vector<std::string>{"firstName", "email"}));
  EXPECT_EQ(f.message, "missing or unusable for visa: firstName, email");
  EXPECT_EQ(f.failure_code, "CONSUMER_DATA_INCOMPLETE");
}

}  // namespace
}  // namespace c2p::networks
