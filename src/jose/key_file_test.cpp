#include "jose/key_file.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/support/scratch_dir.hpp"

namespace c2p::jose {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

using TempDir = c2p::testing::ScratchDir;

unsigned Mode(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

void WriteText(const fs::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t EntryCount(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

json::object SampleJwk() { return {{"kty", "oct"}, {"k", "AAAA"}, {"kid", "k1"}}; }

TEST(KeyFile, WritesSecretFilesReadableByTheOwnerOnly) {
  TempDir dir;
  ASSERT_TRUE(WriteJwkFile(dir / "secret.jwk", SampleJwk(), /*secret=*/true));
  EXPECT_EQ(Mode(dir / "secret.jwk"), 0600u);
}

TEST(KeyFile, WritesPublicFilesWorldReadable) {
  TempDir dir;
  ASSERT_TRUE(WriteJwkFile(dir / "public.jwk", SampleJwk(), /*secret=*/false));
  EXPECT_EQ(Mode(dir / "public.jwk"), 0644u);
}

TEST(KeyFile, RoundTripsAJwk) {
  TempDir dir;
  ASSERT_TRUE(WriteJwkFile(dir / "a.jwk", SampleJwk(), true));
  EXPECT_EQ(ReadText(dir / "a.jwk").back(), '\n');
  auto read = ReadJwkFile(dir / "a.jwk");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, SampleJwk());
}

TEST(KeyFile, ReplacesAtomicallyAndLeavesNoTemporaryFile) {
  TempDir dir;
  ASSERT_TRUE(WriteJwkFile(dir / "a.jwk", SampleJwk(), true));
  const json::object other{{"kty", "oct"}, {"k", "BBBB"}};
  ASSERT_TRUE(WriteJwkFile(dir / "a.jwk", other, true, Overwrite::kReplace));
  EXPECT_EQ(*ReadJwkFile(dir / "a.jwk"), other);
  EXPECT_EQ(EntryCount(dir.path()), 1u);
}

TEST(KeyFile, RefusesToOverwriteWhenAsked) {
  TempDir dir;
  WriteText(dir / "a.jwk", "keep me");
  auto written = WriteJwkFile(dir / "a.jwk", SampleJwk(), true, Overwrite::kRefuse);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, core::ErrorCode::kIo);
  EXPECT_EQ(ReadText(dir / "a.jwk"), "keep me");
  EXPECT_EQ(EntryCount(dir.path()), 1u);
}

TEST(KeyFile, WritesIntoTheCurrentDirectoryForABareName) {
  TempDir dir;
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path());
  auto written = WriteJwkFile("bare.jwk", SampleJwk(), true);
  fs::current_path(previous);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_TRUE(fs::exists(dir / "bare.jwk"));
}

TEST(KeyFile, FailsForAMissingDirectory) {
  TempDir dir;
  auto written = WriteJwkFile(dir / "no" / "such.jwk", SampleJwk(), true);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, core::ErrorCode::kIo);
}

TEST(KeyFile, ReadFailsForAMissingFile) {
  TempDir dir;
  auto read = ReadJwkFile(dir / "missing.jwk");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, core::ErrorCode::kIo);
}

TEST(KeyFile, ReadRejectsWhatIsNotAJsonObject) {
  TempDir dir;
  for (std::string_view text : {"[1]", "{\"k\": ", "{\"a\":1,\"a\":2}", "", "\"x\""}) {
    WriteText(dir / "bad.jwk", text);
    auto read = ReadJwkFile(dir / "bad.jwk");
    ASSERT_FALSE(read) << text;
    EXPECT_EQ(read.error().code, core::ErrorCode::kConfigInvalid) << text;
  }
}

TEST(KeyFile, ReadRejectsOversizedFiles) {
  TempDir dir;
  WriteText(dir / "big.jwk", std::string(kMaxKeyFileBytes + 1, ' '));
  auto read = ReadJwkFile(dir / "big.jwk");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, core::ErrorCode::kIo);
}

TEST(KeyFile, ReadSecretTextFileStripsTheTrailingNewline) {
  TempDir dir;
  WriteText(dir / "secret.txt", "whsec_abc=\r\n");
  auto secret = ReadSecretTextFile(dir / "secret.txt");
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->as_text(), "whsec_abc=");
  WriteText(dir / "empty.txt", "\n");
  EXPECT_FALSE(ReadSecretTextFile(dir / "empty.txt"));
}

}  // namespace
}  // namespace c2p::jose
