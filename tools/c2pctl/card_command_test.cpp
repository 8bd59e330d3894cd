#include "tools/c2pctl/card_command.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "jose/jwe.hpp"
#include "jose/key_file.hpp"
#include "jose/key_kinds.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tools/c2pctl/cli.hpp"

namespace c2p::ctl {
namespace {

TEST(EncryptCard, PrintsAJweThatC2psKeyDecryptsToTheCard) {
  c2p::testing::ScratchDir dir;
  ASSERT_TRUE(jose::GenerateKeyFile(jose::KeyKind::kJwe, dir.path() / "jwe.jwk", "jwe-1",
                                    dir.path() / "jwe.pub.jwk", jose::Overwrite::kRefuse));
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunEncryptCard({.pan = "4111111111111111",
                                   .exp = "1230",
                                   .name = "JANE DOE",
                                   .key = (dir.path() / "jwe.pub.jwk").string()},
                                  out, err);
  ASSERT_EQ(code, kExitOk) << err.str();
  std::string jwe = out.str();
  ASSERT_FALSE(jwe.empty());
  jwe.pop_back();  // newline
  // The PAN never appears in what is printed.
  EXPECT_EQ(jwe.find("4111111111111111"), std::string::npos);

  auto jwk = jose::ReadJwkFile(dir.path() / "jwe.jwk");
  ASSERT_TRUE(jwk);
  auto key = jose::EcKey::FromJwk(*jwk);
  ASSERT_TRUE(key);
  jose::JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddEcdhEs(*key));
  auto plain = jose::DecryptJwe(jwe, keys);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->as_text(), R"({"pan":"4111111111111111","exp":"1230","name":"JANE DOE"})");
}

TEST(EncryptCard, MissingKeyFileFails) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(
      RunEncryptCard({.pan = "4111111111111111", .exp = "1230", .name = "", .key = "/nonexistent"},
                     out, err),
      kExitFailure);
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace c2p::ctl
