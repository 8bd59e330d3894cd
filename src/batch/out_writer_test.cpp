#include "batch/out_writer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>

#include "batch/file_name.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::batch {
namespace {

namespace json = boost::json;

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

const Header kHeader{"B1", "2", "ISSUER0001", "CONSUMER_CARD_REGISTRATION"};

TEST(OutWriter, WritesTheDocumentAtomically) {
  c2p::testing::ScratchDir dir;
  const auto final_path = dir / OutName("B1-2-17.json");
  auto writer = OutWriter::Create(final_path, kHeader, 2);
  ASSERT_TRUE(writer) << writer.error().message;
  ASSERT_TRUE(writer->Add(json::parse(R"({"rowId":1,"consumerCardRegistrationResult":{
      "consumerId":"c1","consumerStatus":"OK","cards":[]}})")
                              .as_object()));
  ASSERT_TRUE(writer->Add(json::parse(R"({"rowId":2,"consumerCardRegistrationResult":{
      "consumerId":"c2","consumerStatus":"KO","consumerError":"200","cards":[]}})")
                              .as_object()));
  // Before the commit only the hidden temporary exists, and not under a .json name.
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{".B1-2-17_OUT.json.tmp"});
  EXPECT_FALSE(std::filesystem::exists(final_path));
  ASSERT_TRUE(writer->Commit());
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"B1-2-17_OUT.json"});
  EXPECT_EQ(ReadAll(final_path),
            R"({"header":{"batchId":"B1","seqNumber":"2","issuerId":"ISSUER0001",)"
            R"("operation":"CONSUMER_CARD_REGISTRATION","totalRecords":2},"recordsResults":[)"
            R"({"rowId":1,"consumerCardRegistrationResult":{"consumerId":"c1",)"
            R"("consumerStatus":"OK","cards":[]}},)"
            R"({"rowId":2,"consumerCardRegistrationResult":{"consumerId":"c2",)"
            R"("consumerStatus":"KO","consumerError":"200","cards":[]}}]})");
  EXPECT_FALSE(writer->Commit());  // once
}

TEST(OutWriter, AnEmptyResultIsAnEmptyArray) {
  c2p::testing::ScratchDir dir;
  const auto final_path = dir / "B1-2-17_OUT.json";
  auto writer = OutWriter::Create(final_path, kHeader, 0);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->Commit());
  const json::value document = json::parse(ReadAll(final_path));
  EXPECT_EQ(document.at("header").at("totalRecords"), 0);
  EXPECT_TRUE(document.at("recordsResults").as_array().empty());
}

TEST(OutWriter, AbandonedWriterLeavesNothingAndACrashLeftoverIsOverwritten) {
  c2p::testing::ScratchDir dir;
  const auto final_path = dir / "B1-2-17_OUT.json";
  {
    auto writer = OutWriter::Create(final_path, kHeader, 1);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->Add(json::object{{"rowId", 1}}));
  }
  EXPECT_TRUE(Names(dir.path()).empty());
  // What a crash mid-write leaves behind: a longer partial temporary.
  {
    std::ofstream leftover(TemporaryOutPath(final_path));
    leftover << std::string(100000, 'x');
  }
  auto writer = OutWriter::Create(final_path, kHeader, 0);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->Commit());
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"B1-2-17_OUT.json"});
  EXPECT_TRUE(json::parse(ReadAll(final_path)).is_object());
}

TEST(OutWriter, ManyResultsStreamThroughTheBuffer) {
  c2p::testing::ScratchDir dir;
  const auto final_path = dir / "B1-2-17_OUT.json";
  auto writer = OutWriter::Create(final_path, kHeader, 20000);
  ASSERT_TRUE(writer);
  for (int row = 1; row <= 20000; ++row) ASSERT_TRUE(writer->Add(json::object{{"rowId", row}}));
  ASSERT_TRUE(writer->Commit());
  const json::value document = json::parse(ReadAll(final_path));
  const json::array& results = document.at("recordsResults").as_array();
  ASSERT_EQ(results.size(), 20000u);
  EXPECT_EQ(results[19999].at("rowId"), 20000);
}

TEST(WriteRefusal, WritesTheHeaderAndTheCodeOnly) {
  c2p::testing::ScratchDir dir;
  const auto final_path = dir / "B1-2-17_OUT.json";
  ASSERT_TRUE(WriteRefusal(final_path, kHeader, FileError::kInvalidSignature));
  EXPECT_EQ(ReadAll(final_path),
            R"({"header":{"batchId":"B1","seqNumber":"2","issuerId":"ISSUER0001",)"
            R"("operation":"CONSUMER_CARD_REGISTRATION","errorCode":"110"}})");
  // Unknown fields are left out.
  ASSERT_TRUE(
      WriteRefusal(final_path, Header{"B1", "2", "ISSUER0001", ""}, FileError::kInvalidJson));
  EXPECT_EQ(ReadAll(final_path),
            R"({"header":{"batchId":"B1","seqNumber":"2","issuerId":"ISSUER0001",)"
            R"("errorCode":"103"}})");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"B1-2-17_OUT.json"});
  EXPECT_FALSE(WriteRefusal(dir / "no-such-dir" / "x_OUT.json", kHeader, FileError::kInvalidJson));
}

}  // namespace
}  // namespace c2p::batch
