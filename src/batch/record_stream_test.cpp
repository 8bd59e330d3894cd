#include "batch/record_stream.hpp"

#include <gtest/gtest.h>

#include "batch/test_files.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::batch {
namespace {

namespace json = boost::json;

class RecordStreamTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& text) {
    const auto path = dir_ / "B1-1-1.json";
    testing::WriteText(path, text);
    return path;
  }
  c2p::testing::ScratchDir dir_;
};

TEST_F(RecordStreamTest, YieldsTheRecordsInFileOrderWhereverTheyAre) {
  testing::TestFile file;
  for (int row : {3, 7, 11}) file.records.push_back(testing::TestRecord(row));
  for (const auto& order :
       std::vector<std::vector<std::string>>{{"h", "r", "s"}, {"r", "h", "s"}, {"s", "h", "r"}}) {
    auto stream = RecordStream::Open(Write(file.Text(order)), 5);
    ASSERT_TRUE(stream) << stream.error().message;
    for (int row : {3, 7, 11}) {
      auto next = stream->Next();
      ASSERT_TRUE(next && *next);
      EXPECT_EQ((*next)->row_id, row);
      EXPECT_EQ((*next)->record.at("consumerAndCardRegistrationRequest").at("consumerId"),
                json::value("cons_" + std::to_string(row)));
    }
    for (int again = 0; again < 2; ++again) {
      auto end = stream->Next();
      ASSERT_TRUE(end);
      EXPECT_FALSE(*end);
    }
  }
}

TEST_F(RecordStreamTest, RefusesADuplicateKeyAndAMissingRowId) {
  auto dup = RecordStream::Open(Write(R"({"records": [{"rowId": 1, "a": 1, "a": 2}]})"));
  ASSERT_TRUE(dup);
  auto next = dup->Next();
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code, core::ErrorCode::kInvalidJson);
  EXPECT_EQ(next.error().message.find("\"a\""), std::string::npos);

  auto no_row = RecordStream::Open(Write(R"({"records": [{"row": 1}]})"));
  ASSERT_TRUE(no_row);
  EXPECT_FALSE(no_row->Next());
}

TEST_F(RecordStreamTest, RefusesAFileWithoutRecords) {
  EXPECT_FALSE(RecordStream::Open(Write(R"({"header": {}})")));
  EXPECT_FALSE(RecordStream::Open(Write(R"({"records": 5})")));
  EXPECT_FALSE(RecordStream::Open(Write("[]")));
  auto missing = RecordStream::Open(dir_ / "absent.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kIo);
}

}  // namespace
}  // namespace c2p::batch
