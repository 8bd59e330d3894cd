#include "tools/c2pctl/keys_command.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "jose/key_file.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tools/c2pctl/cli.hpp"

namespace c2p::ctl {
namespace {
namespace fs = std::filesystem;

using TempDir = c2p::testing::ScratchDir;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

Outcome RunCtl(const std::vector<std::string>& args) {
  std::vector<std::string> storage{"c2pctl"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const auto& arg : storage) argv.push_back(arg.c_str());
  std::ostringstream out;
  std::ostringstream err;
  Outcome outcome;
  outcome.exit_code = RunC2pctl(static_cast<int>(argv.size()), argv.data(), out, err);
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned Mode(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

TEST(KeysGenerate, WritesAnOctKeyAndNamesTheFileButNotTheKey) {
  TempDir dir;
  const fs::path out = dir / "pan.jwk";
  const Outcome run = RunCtl({"keys", "generate", "--kind", "pan", "--out", out.string()});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_NE(run.out.find(out.string()), std::string::npos) << run.out;
  EXPECT_EQ(Mode(out), 0600u);
  auto jwk = jose::ReadJwkFile(out);
  ASSERT_TRUE(jwk);
  const std::string k(jwk->at("k").as_string());
  EXPECT_EQ(run.out.find(k), std::string::npos);
  EXPECT_EQ(run.err.find(k), std::string::npos);
}

TEST(KeysGenerate, WritesAnIssuerSigningKeyPair) {
  TempDir dir;
  const Outcome run =
      RunCtl({"keys", "generate", "--kind", "issuer-signing", "--out", (dir / "k.jwk").string(),
              "--public-out", (dir / "k.pub.jwk").string(), "--kid", "issuer-key-1"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_NE(run.out.find("issuer-key-1"), std::string::npos);
  EXPECT_NE(run.out.find((dir / "k.pub.jwk").string()), std::string::npos);
  auto private_jwk = jose::ReadJwkFile(dir / "k.jwk");
  ASSERT_TRUE(private_jwk);
  EXPECT_EQ(run.out.find(std::string(private_jwk->at("d").as_string())), std::string::npos);
  EXPECT_EQ(Mode(dir / "k.pub.jwk"), 0644u);
}

TEST(KeysGenerate, WritesAWebhookSecret) {
  TempDir dir;
  const Outcome run =
      RunCtl({"keys", "generate", "--kind", "webhook", "--out", (dir / "w").string()});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  const std::string text = ReadText(dir / "w");
  EXPECT_EQ(text.rfind("whsec_", 0), 0u);
  EXPECT_EQ(run.out.find(text.substr(6, 20)), std::string::npos);
}

TEST(KeysGenerate, RefusesToOverwriteWithoutForce) {
  TempDir dir;
  const std::string out = (dir / "mac.jwk").string();
  ASSERT_EQ(RunCtl({"keys", "generate", "--kind", "token-mac", "--out", out}).exit_code, kExitOk);
  const std::string before = ReadText(out);

  const Outcome refused = RunCtl({"keys", "generate", "--kind", "token-mac", "--out", out});
  EXPECT_EQ(refused.exit_code, kExitFailure);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(ReadText(out), before);

  const Outcome forced =
      RunCtl({"keys", "generate", "--kind", "token-mac", "--out", out, "--force"});
  EXPECT_EQ(forced.exit_code, kExitOk) << forced.err;
  EXPECT_NE(ReadText(out), before);
}

TEST(KeysGenerate, UsageErrorsExitWith2AndWriteNothing) {
  TempDir dir;
  const std::string out = (dir / "k").string();
  const std::string pub = (dir / "k.pub").string();
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"keys"},
      {"keys", "generate", "--out", out},
      {"keys", "generate", "--kind", "pan"},
      {"keys", "generate", "--kind", "rsa", "--out", out},
      {"keys", "generate", "--kind", "pan", "--out", out, "--public-out", pub},
      {"keys", "generate", "--kind", "webhook", "--out", out, "--kid", "k1"},
      {"keys", "generate", "--kind", "jwe", "--out", out, "--kid", "not a kid"},
      {"keys", "generate", "--kind", "jwe", "--out", out, "--public-out", out},
      {"keys", "generate", "--kind", "jwe", "--out", out, "--bogus"},
  };
  for (const auto& args : cases) {
    EXPECT_EQ(RunCtl(args).exit_code, kExitUsage) << ::testing::PrintToString(args);
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(KeysGenerate, HelpExitsWith0) {
  const Outcome run = RunCtl({"keys", "generate", "--help"});
  EXPECT_EQ(run.exit_code, kExitOk);
  EXPECT_NE(run.out.find("--kind"), std::string::npos) << run.out;
}

TEST(KeysGenerate, FileSystemFailureExitsWith1) {
  TempDir dir;
  const Outcome run = RunCtl(
      {"keys", "generate", "--kind", "pan", "--out", (dir / "missing" / "pan.jwk").string()});
  EXPECT_EQ(run.exit_code, kExitFailure);
  EXPECT_FALSE(run.err.empty());
}

}  // namespace
}  // namespace c2p::ctl
