#include "app/issuer_backend_setup.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace c2p::app {
namespace {

namespace fs = std::filesystem;

class IssuerBackendSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("c2p-issuer-setup-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Config WithSecret(const std::string& secret) {
    std::ofstream(dir_ / "secret") << secret;
    Config c;
    IssuerConfig plain;
    plain.id = "ISSUER0001";
    c.issuers.push_back(plain);
    IssuerConfig oauth;
    oauth.id = "ISSUER0002";
    oauth.base_url = "http://127.0.0.1:1/issuer";
    oauth.consumer_info_by_card = true;
    oauth.oauth_client_id = "c2p";
    oauth.oauth_client_secret_file = dir_ / "secret";
    oauth.oauth_token_url = oauth.base_url + "/token";
    c.issuers.push_back(oauth);
    return c;
  }

  fs::path dir_;
};

TEST_F(IssuerBackendSetupTest, ReadsTheSecretFileIntoTheOAuthClient) {
  auto endpoints = LoadIssuerEndpoints(WithSecret("s3cret\n"));
  ASSERT_TRUE(endpoints) << endpoints.error().message;
  ASSERT_EQ(endpoints->size(), 2u);
  EXPECT_FALSE((*endpoints)[0].oauth);
  EXPECT_TRUE((*endpoints)[0].base_url.empty());
  const notify::IssuerEndpoint& e = (*endpoints)[1];
  EXPECT_TRUE(e.consumer_info_by_card);
  ASSERT_TRUE(e.oauth);
  EXPECT_EQ(e.oauth->client_secret.as_text(), "s3cret");
  EXPECT_EQ(e.oauth->token_url, "http://127.0.0.1:1/issuer/token");
}

TEST_F(IssuerBackendSetupTest, EmptyOrBinarySecretsAreRefusedWithoutQuotingThem) {
  for (const std::string& secret : {std::string(""), std::string("s3c\x01ret")}) {
    auto endpoints = LoadIssuerEndpoints(WithSecret(secret));
    ASSERT_FALSE(endpoints);
    EXPECT_EQ(endpoints.error().message.rfind("issuers[1].oauth_client_secret_file: ", 0), 0u)
        << endpoints.error().message;
    EXPECT_EQ(endpoints.error().message.find("s3c"), std::string::npos);
  }
}

}  // namespace
}  // namespace c2p::app
