#include "batch/batch_check.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "batch/record_stream.hpp"
#include "batch/test_files.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::batch {
namespace {

using testing::TestExpectation;
using testing::TestFile;
using testing::TestRecord;
namespace json = boost::json;

class CheckFileTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& text) {
    const auto path = dir_ / testing::kFileName;
    testing::WriteText(path, text);
    return path;
  }
  tl::expected<CheckedFile, FileRefusal> Check(const std::string& text,
                                               const FileExpectation& expectation) {
    return CheckFile(Write(text), expectation);
  }
  tl::expected<CheckedFile, FileRefusal> Check(const std::string& text) {
    return Check(text, TestExpectation());
  }
  // The code of a refusal, or 0 when the file was accepted.
  int Code(const std::string& text) {
    auto checked = Check(text);
    return checked ? 0 : static_cast<int>(checked.error().code);
  }
  static TestFile ThreeRecords() {
    TestFile file;
    for (int row : {1, 2, 5}) file.records.push_back(TestRecord(row));
    return file;
  }

  c2p::testing::ScratchDir dir_;
};

TEST_F(CheckFileTest, AcceptsASignedFile) {
  auto checked = Check(ThreeRecords().Text());
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->total_records, 3);
  EXPECT_EQ(checked->header,
            (Header{testing::kBatchId, "1", testing::kIssuer, "CONSUMER_CARD_REGISTRATION"}));
}

TEST_F(CheckFileTest, AcceptsTheMembersInAnyOrder) {
  std::vector<std::string> order = {"h", "r", "s"};
  std::sort(order.begin(), order.end());
  const TestFile file = ThreeRecords();
  do {
    auto checked = Check(file.Text(order));
    ASSERT_TRUE(checked) << order[0] << order[1] << order[2] << ": " << checked.error().message;
    EXPECT_EQ(checked->total_records, 3);
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST_F(CheckFileTest, AcceptsAnEmptyRecordsArrayAndTheIssuerPrefixedName) {
  TestFile file;
  const std::string name = std::string(testing::kIssuer) + "-" + testing::kFileName;
  auto checked = Check(file.Text(), TestExpectation(name));
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->total_records, 0);
}

TEST_F(CheckFileTest, AcceptsTheOtherOperationAndLargeRowIds) {
  TestFile file;
  file.header.as_object()["operation"] = "CONSUMER_CARD_REGISTRATION_WITH_DIGITAL_CARDS";
  file.records.push_back(TestRecord(-5));
  file.records.push_back(TestRecord(9007199254740992));  // 2^53: still exact in JCS
  auto checked = Check(file.Text());
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->header.operation, "CONSUMER_CARD_REGISTRATION_WITH_DIGITAL_CARDS");
}

TEST_F(CheckFileTest, ReadsFiveThousandRecordsThroughASmallBuffer) {
  TestFile file;
  for (int row = 1; row <= 5000; ++row) file.records.push_back(TestRecord(row, row % 50));
  for (const auto& order :
       std::vector<std::vector<std::string>>{{"h", "s", "r"}, {"r", "h", "s"}}) {
    FileExpectation expectation = TestExpectation();
    expectation.read_buffer_bytes = 97;  // crosses every token and record boundary
    auto checked = Check(file.Text(order), expectation);
    ASSERT_TRUE(checked) << checked.error().message;
    EXPECT_EQ(checked->total_records, 5000);
  }
  auto stream = RecordStream::Open(dir_ / testing::kFileName, 97);
  ASSERT_TRUE(stream) << stream.error().message;
  std::int64_t expected = 1;
  for (;;) {
    auto next = stream->Next();
    ASSERT_TRUE(next) << next.error().message;
    if (!*next) break;
    EXPECT_EQ((*next)->row_id, expected);
    EXPECT_EQ(json::value((*next)->record), json::value(file.records[expected - 1]));
    ++expected;
  }
  EXPECT_EQ(expected, 5001);
}

TEST_F(CheckFileTest, RefusesAFileOverTheSizeCapBeforeReadingIt) {
  FileExpectation expectation = TestExpectation();
  const std::string text = ThreeRecords().Text();
  expectation.max_bytes = text.size() - 1;
  auto checked = Check(text, expectation);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, FileError::kFileTooBig);
  expectation.max_bytes = text.size();
  EXPECT_TRUE(Check(text, expectation));
  // Not even JSON: the size is decided first.
  expectation.max_bytes = 3;
  checked = Check("garbage", expectation);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, FileError::kFileTooBig);
  ASSERT_TRUE(checked.error().header);
  EXPECT_EQ(checked.error().header->batch_id, testing::kBatchId);  // from the name
  EXPECT_EQ(checked.error().header->issuer_id, testing::kIssuer);
}

TEST_F(CheckFileTest, RefusesMalformedJsonAs103) {
  const TestFile good = ThreeRecords();
  const std::string text = good.Text();
  const std::string header = json::serialize(good.header);
  const std::string sig =
      "\"signature\": " +
      json::serialize(json::value(testing::Sign(testing::Payload(good.header, good.records))));
  std::vector<std::string> bad = {
      "",
      "[]",
      "nonsense",
      text.substr(0, text.size() / 2),                     // truncated inside a record
      text.substr(0, text.size() - 3),                     // truncated at the end
      text + "{}",                                         // content after the object
      text.substr(0, text.size() - 2) + ",\"extra\": 1}",  // unknown member
      text.substr(0, text.size() - 2) + ",\"header\": " + header + "}",  // duplicate member
      "{\"header\": " + header + ", \"records\": {}, " + sig + "}",
      "{\"header\": " + header + ", \"records\": [1], " + sig + "}",
      "{\"header\": " + header + ", \"records\": [{\"rowId\": 1, \"rowId\": 2}], " + sig + "}",
      "{\"header\": " + header + ", \"records\": [{\"rowId\": 1},], " + sig + "}",
      "{\"header\": " + header + ", \"records\": [{\"rowId\": 1} {\"rowId\": 2}], " + sig + "}",
      "{\"header\": " + header + ", \"records\": [{\"rowId\": 01}], " + sig + "}",
      "{\"header\": " + header + ", " + sig + "}",  // no records
      "{\"header\": \"x\", \"records\": [], " + sig + "}",
      "{\"header\": " + header + " \"records\": [], " + sig + "}",  // missing comma
      "{\"header\": " + header + ", \"records\": [], " + sig + ",}",
  };
  // A record over 64 KiB.
  TestFile big;
  big.records.push_back(TestRecord(1, kMaxRecordBytes));
  bad.push_back(big.Text());
  for (std::size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(Code(bad[i]), 103) << "case " << i;
  }
  // One byte less than the cap is fine.
  TestFile fits;
  fits.records.push_back(TestRecord(1, kMaxRecordBytes - 400));
  EXPECT_EQ(Code(fits.Text()), 0);
}

TEST_F(CheckFileTest, The103RefusalKeepsTheReadableHeader) {
  TestFile file = ThreeRecords();
  const std::string text = file.Text();
  auto checked = Check(text.substr(0, text.size() - 3));
  ASSERT_FALSE(checked);
  ASSERT_TRUE(checked.error().header);
  EXPECT_EQ(*checked.error().header,
            (Header{testing::kBatchId, "1", testing::kIssuer, "CONSUMER_CARD_REGISTRATION"}));
  EXPECT_FALSE(checked.error().retryable);
}

TEST_F(CheckFileTest, RefusesMissingHeaderFieldsAs105) {
  TestFile file = ThreeRecords();
  EXPECT_EQ(Code(file.Text({"r", "s"})), 105);
  for (const char* field : {"batchId", "seqNumber", "issuerId", "operation"}) {
    TestFile missing = ThreeRecords();
    missing.header.as_object().erase(field);
    EXPECT_EQ(Code(missing.Text()), 105) << field;
    missing.header.as_object()[field] = nullptr;
    EXPECT_EQ(Code(missing.Text()), 105) << field;
  }
}

TEST_F(CheckFileTest, RefusesMalformedHeaderFieldsAs106) {
  using Case = std::pair<std::string, json::value>;
  const std::vector<Case> cases = {
      Case{"batchId", "B.1"},
      Case{"batchId", std::string(49, 'B')},
      Case{"batchId", ""},
      Case{"batchId", 7},
      Case{"seqNumber", "1a"},
      Case{"seqNumber", 1},
      Case{"seqNumber", ""},
      Case{"issuerId", "ISSUER001"},
      Case{"issuerId", true},
      Case{"operation", "CONSUMER_REGISTRATION"},
      Case{"operation", "consumer_card_registration"},
      Case{"comment", "hello"},  // unknown header member
  };
  for (const auto& [field, value] : cases) {
    TestFile file = ThreeRecords();
    file.header.as_object()[field] = value;
    EXPECT_EQ(Code(file.Text()), 106) << field << " = " << json::serialize(value);
  }
}

TEST_F(CheckFileTest, RefusesAHeaderDisagreeingWithTheNameOrSpoolAs100) {
  TestFile other_issuer = ThreeRecords();
  other_issuer.header.as_object()["issuerId"] = "ISSUER0002";
  EXPECT_EQ(Code(other_issuer.Text()), 100);
  TestFile other_batch = ThreeRecords();
  other_batch.header.as_object()["batchId"] = "B2026";
  EXPECT_EQ(Code(other_batch.Text()), 100);
  TestFile other_seq = ThreeRecords();
  other_seq.header.as_object()["seqNumber"] = "01";
  auto checked = Check(other_seq.Text());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, FileError::kInvalidHeader);
  EXPECT_EQ(checked.error().header->seq_number, "01");  // the file's, for the _OUT
  // The spool's issuer decides, whatever the name says.
  EXPECT_EQ(
      Check(ThreeRecords().Text(), TestExpectation("ISSUER0002-B2026-01_17-1-1.json")).error().code,
      FileError::kInvalidHeader);
}

TEST_F(CheckFileTest, RefusesRowIdsNotStrictlyIncreasingAs107) {
  const std::vector<std::vector<json::value>> cases = {
      {1, 2, 2}, {1, 3, 2},
      {5, 4},    {1, nullptr},
      {1.5},     {"1"},
      {1, 2.0},  {json::value(9223372036854775808ull)},  // 2^63: a double, not an int64
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    TestFile file;
    for (const auto& row : cases[i]) {
      json::object record = TestRecord(1);
      if (row.is_null()) {
        record.erase("rowId");
      } else {
        record["rowId"] = row;
      }
      file.records.push_back(record);
    }
    EXPECT_EQ(Code(file.Text()), 107) << "case " << i;
  }
}

TEST_F(CheckFileTest, RefusesAMissingSignatureAs111) {
  TestFile file = ThreeRecords();
  EXPECT_EQ(Code(file.Text({"h", "r"})), 111);
  file.signature = nullptr;
  EXPECT_EQ(Code(file.Text()), 111);
  file.signature = "";
  EXPECT_EQ(Code(file.Text()), 111);
}

TEST_F(CheckFileTest, RefusesASignatureOverOtherContentAs110) {
  const TestFile good = ThreeRecords();
  // Signed over another record order.
  TestFile reordered = good;
  json::array swapped = good.records;
  std::swap(swapped[0], swapped[1]);
  reordered.signature = testing::Sign(testing::Payload(good.header, swapped));
  EXPECT_EQ(Code(reordered.Text()), 110);
  // One byte of a record changed after signing.
  TestFile changed = good;
  changed.signature = testing::Sign(testing::Payload(good.header, good.records));
  changed.records[2].as_object()["rowId"] = 6;
  EXPECT_EQ(Code(changed.Text()), 110);
  std::string text = good.Text();
  const std::size_t at = text.find("crd_2");
  ASSERT_NE(at, std::string::npos);
  text[at + 4] = '3';
  EXPECT_EQ(Code(text), 110);
  // The same with the records read in the first pass (header and signature before them).
  text = good.Text({"s", "h", "r"});
  text[text.find("crd_2") + 4] = '3';
  EXPECT_EQ(Code(text), 110);
  // A changed header.
  TestFile header = good;
  header.signature = testing::Sign(testing::Payload(good.header, good.records));
  header.header.as_object()["operation"] = "CONSUMER_CARD_REGISTRATION_WITH_DIGITAL_CARDS";
  EXPECT_EQ(Code(header.Text()), 110);
  // Another key with the same kid, an unknown kid, no kid, not a JWS, not a string.
  jose::EcKey other = jose::EcKey::Generate();
  other.set_kid("issuer-key-1");
  TestFile forged = good;
  forged.signature = testing::Sign(testing::Payload(good.header, good.records), other);
  EXPECT_EQ(Code(forged.Text()), 110);
  other.set_kid("issuer-key-2");
  forged.signature = testing::Sign(testing::Payload(good.header, good.records), other);
  EXPECT_EQ(Code(forged.Text()), 110);
  jose::EcKey no_kid = jose::EcKey::Generate();
  forged.signature = testing::Sign(testing::Payload(good.header, good.records), no_kid);
  EXPECT_EQ(Code(forged.Text()), 110);
  forged.signature = "a.b.c";
  EXPECT_EQ(Code(forged.Text()), 110);
  forged.signature = 12;
  EXPECT_EQ(Code(forged.Text()), 110);
  // An attached JWS over the right payload is not a detached signature.
  forged.signature =
      jose::SignEs256(testing::Payload(good.header, good.records), testing::TestKey());
  EXPECT_EQ(Code(forged.Text()), 110);
}

TEST_F(CheckFileTest, DecidesInTheDocumentedOrder) {
  // Header refused (106) beats a broken record (records not yet read).
  TestFile file = ThreeRecords();
  file.header.as_object()["operation"] = "X";
  std::string text = file.Text();
  const std::size_t at = text.find("\"rowId\"");
  text.insert(at, "\"rowId\": 0, ");  // a duplicate key in record 1
  EXPECT_EQ(Code(text), 106);
  // A broken record (103) beats an unsigned file (111) only when the header and signature
  // are fine; without a signature, the records are not read.
  EXPECT_EQ(Code(ThreeRecords().Text({"h", "r"})), 111);
  // Structure (103) beats the header: the top level is read first.
  EXPECT_EQ(Code(file.Text() + "x"), 103);
  // A bad signature (110) beats rowIds (107).
  TestFile rows;
  rows.records = {TestRecord(2), TestRecord(1)};
  rows.signature = testing::Sign("something else");
  EXPECT_EQ(Code(rows.Text()), 110);
}

TEST_F(CheckFileTest, UnreadableFileIsRetryableNotAVerdict) {
  auto checked = CheckFile(dir_ / "absent.json", TestExpectation());
  ASSERT_FALSE(checked);
  EXPECT_TRUE(checked.error().retryable);
}

// ~50 MB, checked and streamed with the memory of one record: the largest buffer the
// reader held is counted, whatever the file size.
TEST_F(CheckFileTest, ReadsALargeFileWithTheMemoryOfOneRecord) {
  TestFile file;
  constexpr int kRecords = 50'000;
  constexpr std::size_t kPadding = 800;
  for (int row = 1; row <= kRecords; ++row) file.records.push_back(TestRecord(row, kPadding));
  const std::string text = file.Text({"h", "r", "s"});
  ASSERT_GT(text.size(), std::size_t{45} << 20);
  const std::size_t record_bytes = json::serialize(file.records[0]).size();
  const auto path = Write(text);
  file = TestFile{};  // the test's own copy is not the reader's memory

  auto checked = CheckFile(path, TestExpectation());
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->total_records, kRecords);
  EXPECT_LE(checked->largest_record_bytes, 2 * record_bytes + 64);

  auto stream = RecordStream::Open(path);
  ASSERT_TRUE(stream);
  std::int64_t count = 0;
  for (;;) {
    auto next = stream->Next();
    ASSERT_TRUE(next) << next.error().message;
    if (!*next) break;
    ++count;
  }
  EXPECT_EQ(count, kRecords);
  EXPECT_LE(stream->largest_record_bytes(), 2 * record_bytes + 64);
}

// The fuzz target's seeds are files CheckFile accepts (else the fuzzer would start from
// refusals only). The key is the fuzz target's public key (fuzz/batch_reader_fuzz.cpp).
TEST(FuzzSeeds, AreAccepted) {
  const char* source = std::getenv("C2P_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  const json::object jwk{{"kty", "EC"},
                         {"crv", "P-256"},
                         {"x", "DKdBQZ5jd7r3u959Tj5Gm4CAMzU5634iPkDfvveVOPY"},
                         {"y", "afRDrxGS6q5Cl5csa5VCdPeYhLR_EJSys6hHSwNDnos"}};
  const jose::VerificationKey key = *jose::VerificationKey::Es256(*jose::EcKey::FromJwk(jwk));
  FileExpectation expectation;
  expectation.issuer = "ISSUER0001";
  expectation.name = *ParseFileName("B1-1-1.json");
  expectation.key_for = [&](std::string_view kid) { return kid == "fuzz-key" ? &key : nullptr; };
  c2p::testing::ScratchDir dir;
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(source) /
                                                               "fuzz/corpus/batch_reader")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(text.empty());
    testing::WriteText(dir / "B1-1-1.json", text.substr(1));  // byte 0: the buffer size
    expectation.read_buffer_bytes = static_cast<unsigned char>(text[0]) + 1u;
    auto checked = CheckFile(dir / "B1-1-1.json", expectation);
    EXPECT_TRUE(checked) << entry.path().filename() << ": " << checked.error().message;
    ++seeds;
  }
  EXPECT_GE(seeds, 3);
}

}  // namespace
}  // namespace c2p::batch
