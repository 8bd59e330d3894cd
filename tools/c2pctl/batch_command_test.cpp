// `c2pctl batch submit|status`: the pieces that need no c2p (there is no HTTP responder
// in these tests): reading a file's header, spool delivery, URLs, the answers and the
// progress line, and the command line.

#include "tools/c2pctl/batch_command.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "tools/c2pctl/batch_protocol.hpp"
#include "tools/c2pctl/batch_test_support.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/durable_file.hpp"

namespace c2p::ctl {
namespace {

using testing::FakeSandbox;
using testing::ReadText;
using testing::WriteText;

constexpr std::string_view kHeader =
    R"({"batchId":"B1","seqNumber":"12","issuerId":"SANDBOX001","operation":"X"})";

TEST(BatchHeader, IsReadFromTheFirstBytesWhereverItStands) {
  const std::string first = std::string(R"({"header":)") + std::string(kHeader) + R"(,"records":[)";
  auto ids = ExtractBatchHeader(first);  // the records need not be there
  ASSERT_TRUE(ids) << ids.error().message;
  EXPECT_EQ(ids->issuer_id, "SANDBOX001");
  EXPECT_EQ(ids->batch_id, "B1");
  EXPECT_EQ(ids->seq_number, "12");

  // After other members, with brackets and quotes inside strings, and with whitespace.
  const std::string later =
      " {\n \"records\" : [ {\"a\":\"}]\\\"{\"}, 1, true, null ] ,\n"
      " \"signature\":\"x..y\", \"header\" : " +
      std::string(kHeader) + "}";
  ids = ExtractBatchHeader(later);
  ASSERT_TRUE(ids) << ids.error().message;
  EXPECT_EQ(ids->batch_id, "B1");
}

TEST(BatchHeader, RefusesWhatIsNotAWholeValidHeader) {
  const std::string whole = std::string(R"({"header":)") + std::string(kHeader) + "}";
  for (std::size_t cut = 0; cut < std::string(R"({"header":)").size() + kHeader.size(); ++cut) {
    EXPECT_FALSE(ExtractBatchHeader(std::string_view(whole).substr(0, cut))) << cut;
  }
  EXPECT_FALSE(ExtractBatchHeader(R"([{"header":{}}])"));
  EXPECT_FALSE(ExtractBatchHeader(R"({"records":[]})"));
  EXPECT_FALSE(ExtractBatchHeader(R"({"header":"B1"})"));
  EXPECT_FALSE(ExtractBatchHeader(R"({"header":{"batchId":"B1","seqNumber":"1"}})"));
  EXPECT_FALSE(ExtractBatchHeader(std::string(100, '[')));
  auto bad = [](std::string_view member, std::string_view value) {
    std::string header(kHeader);
    const std::size_t at = header.find(std::string("\"") + std::string(member) + "\":");
    const std::size_t start = header.find(':', at) + 1;
    const std::size_t end = header.find_first_of(",}", start);
    header.replace(start, end - start, value);
    return ExtractBatchHeader(R"({"header":)" + header + "}");
  };
  auto error = bad("batchId", R"("B 1")");
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().field, "/header/batchId");
  EXPECT_EQ(bad("seqNumber", R"("1a")").error().field, "/header/seqNumber");
  EXPECT_EQ(bad("seqNumber", "1").error().field, "/header/seqNumber");
  EXPECT_EQ(bad("issuerId", R"("../x")").error().field, "/header/issuerId");
  // A duplicated member is refused by the strict parser.
  EXPECT_FALSE(ExtractBatchHeader(
      R"({"header":{"batchId":"B1","batchId":"B2","seqNumber":"1","issuerId":"I"}})"));
}

TEST(BatchHeader, ReadBatchHeaderNamesTheFileOnFailure) {
  c2p::testing::ScratchDir dir;
  WriteText(dir / "f.json", R"({"header":)" + std::string(kHeader) + "}");
  EXPECT_TRUE(ReadBatchHeader(dir / "f.json"));
  WriteText(dir / "g.json", "not json");
  auto error = ReadBatchHeader(dir / "g.json");
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().message.find("g.json"), std::string::npos);
  EXPECT_EQ(ReadBatchHeader(dir / "missing.json").error().code, core::ErrorCode::kIo);
}

TEST(BatchProtocol, PathsAndAnswers) {
  const BatchIds ids{"SANDBOX001", "B1", "12"};
  EXPECT_EQ(BatchesPath("SANDBOX001"), "/banking/v2/issuers/SANDBOX001/batches");
  EXPECT_EQ(BatchProgressPath(ids), "/banking/v2/issuers/SANDBOX001/batches/B1/12");
  EXPECT_EQ(BatchResultPath(ids), "/banking/v2/issuers/SANDBOX001/batches/B1/12/result");

  auto accepted =
      ParseAccepted(R"({"batchId":"B9","seqNumber":"3","status":"ACCEPTED"})", "SANDBOX001");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->issuer_id, "SANDBOX001");
  EXPECT_EQ(accepted->batch_id, "B9");
  EXPECT_EQ(accepted->seq_number, "3");
  EXPECT_FALSE(ParseAccepted(R"({"batchId":"B/9","seqNumber":"3"})", "I"));
  EXPECT_FALSE(ParseAccepted(R"({"seqNumber":"3"})", "I"));
  EXPECT_FALSE(ParseAccepted("<html>", "I"));

  auto progress = ParseProgress(
      R"({"status":"PROCESSING","totalRecords":1000,"processedRecords":450,"ok":440,"ko":10})");
  ASSERT_TRUE(progress) << progress.error().message;
  EXPECT_EQ(progress->status, "PROCESSING");
  EXPECT_EQ(progress->total, 1000u);
  EXPECT_EQ(progress->processed, 450u);
  EXPECT_EQ(progress->ok, 440u);
  EXPECT_EQ(progress->ko, 10u);
  EXPECT_FALSE(progress->finished());
  EXPECT_FALSE(
      ParseProgress(R"({"status":"PAUSED","totalRecords":1,"processedRecords":0,"ok":0,"ko":0})"));
  EXPECT_FALSE(
      ParseProgress(R"({"status":"DONE","totalRecords":-1,"processedRecords":0,"ok":0,"ko":0})"));
  EXPECT_FALSE(ParseProgress(R"({"status":"DONE","totalRecords":1})"));
}

TEST(BatchProtocol, TheProgressLine) {
  BatchProgress p{"PROCESSING", 1000, 450, 440, 10};
  EXPECT_EQ(FormatProgressLine(p, 20), "[#########...........] 450/1000 ok 440 ko 10 PROCESSING");
  p = {"RECEIVED", 0, 0, 0, 0};  // total not known yet
  EXPECT_EQ(FormatProgressLine(p, 4), "[....] 0/0 ok 0 ko 0 RECEIVED");
  p = {"DONE", 0, 0, 0, 0};  // an empty file is done at once
  EXPECT_EQ(FormatProgressLine(p, 4), "[####] 0/0 ok 0 ko 0 DONE");
  p = {"REJECTED", 5, 0, 0, 0};
  EXPECT_EQ(FormatProgressLine(p, 4), "[####] 0/5 ok 0 ko 0 REJECTED");
  p = {"PROCESSING", 3, 7, 7, 0};  // a server counting past the total does not overflow
  EXPECT_EQ(FormatProgressLine(p, 4), "[####] 7/3 ok 7 ko 0 PROCESSING");
}

TEST(SpoolDelivery, CopiesUnderAPartNameThenRenames) {
  c2p::testing::ScratchDir dir;
  std::filesystem::create_directories(dir / "spool/inbox");
  std::string content;
  for (int i = 0; i < 300000; ++i) content += static_cast<char>('a' + i % 26);  // > 1 copy buffer
  content += std::string(R"({"header":)") + std::string(kHeader) + "}";
  WriteText(dir / "B1-12-1.json", content);
  auto delivered = CopyIntoInbox(dir / "B1-12-1.json", dir / "spool/inbox");
  ASSERT_TRUE(delivered) << delivered.error().message;
  EXPECT_EQ(*delivered, dir / "spool/inbox/B1-12-1.json");
  EXPECT_EQ(ReadText(*delivered), content);
  EXPECT_FALSE(std::filesystem::exists(dir / "spool/inbox/B1-12-1.json.part"));
  // Never over a file already there (c2p may be reading it).
  WriteText(dir / "spool/inbox/B1-12-1.json", "theirs");
  EXPECT_FALSE(CopyIntoInbox(dir / "B1-12-1.json", dir / "spool/inbox"));
  EXPECT_EQ(ReadText(dir / "spool/inbox/B1-12-1.json"), "theirs");
  EXPECT_FALSE(CopyIntoInbox(dir / "B1-12-1.json", dir / "no-spool/inbox"));
  EXPECT_FALSE(CopyIntoInbox(dir / "missing.json", dir / "spool/inbox"));
}

TEST(SpoolDelivery, AFileNeverCommittedLeavesNothing) {
  c2p::testing::ScratchDir dir;
  {
    auto file = DurableFile::Create(dir / "x.json");
    ASSERT_TRUE(file);
    ASSERT_TRUE(file->Write("half"));
    EXPECT_TRUE(std::filesystem::exists(dir / "x.json.part"));
    EXPECT_FALSE(std::filesystem::exists(dir / "x.json"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.json.part"));
  EXPECT_FALSE(std::filesystem::exists(dir / "x.json"));
}

int Ctl(std::vector<std::string> args, std::ostringstream& out, std::ostringstream& err) {
  std::vector<const char*> argv{"c2pctl"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return RunC2pctl(static_cast<int>(argv.size()), argv.data(), out, err);
}

TEST(BatchSubmitCommand, SpoolsAMadeFileWithoutWaiting) {
  FakeSandbox sandbox;
  const std::string dir = sandbox.dir.path().string();
  std::filesystem::create_directories(sandbox.dir / "spool/inbox");
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(Ctl({"batch", "make", "--sandbox", dir, "--records", "2", "--out", dir + "/f.json",
                 "--batch-id", "BS", "--seq", "5"},
                out, err),
            kExitOk)
      << err.str();
  std::ostringstream out2;
  ASSERT_EQ(
      Ctl({"batch", "submit", dir + "/f.json", "--spool", dir + "/spool", "--no-wait"}, out2, err),
      kExitOk)
      << err.str();
  EXPECT_EQ(out2.str(), (sandbox.dir / "spool/inbox/f.json").string() + "\n");
  EXPECT_EQ(ReadText(sandbox.dir / "spool/inbox/f.json"), ReadText(sandbox.dir / "f.json"));

  // Waiting needs c2p; with none listening the command fails after delivering.
  std::filesystem::remove(sandbox.dir / "spool/inbox/f.json");
  std::ostringstream out3;
  std::ostringstream err3;
  EXPECT_EQ(Ctl({"batch", "submit", dir + "/f.json", "--spool", dir + "/spool", "--sandbox", dir,
                 "--url", "http://127.0.0.1:1", "--timeout", "5"},
                out3, err3),
            kExitFailure);
  EXPECT_TRUE(std::filesystem::exists(sandbox.dir / "spool/inbox/f.json"));
  EXPECT_NE(err3.str().find("delivered"), std::string::npos) << err3.str();
}

TEST(BatchSubmitCommand, UsageAndFileErrors) {
  c2p::testing::ScratchDir dir;
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(Ctl({"batch"}, out, err), kExitUsage);
  EXPECT_EQ(Ctl({"batch", "submit"}, out, err), kExitUsage);
  EXPECT_EQ(Ctl({"batch", "submit", "f.json", "--timeout", "0"}, out, err), kExitUsage);
  EXPECT_EQ(Ctl({"batch", "submit", dir.File("missing.json"), "--no-wait"}, out, err),
            kExitFailure);
  WriteText(dir / "bad.json", R"({"header":{"batchId":"B 1","seqNumber":"1","issuerId":"I"}})");
  std::ostringstream err2;
  EXPECT_EQ(Ctl({"batch", "submit", dir.File("bad.json"), "--no-wait"}, out, err2), kExitFailure);
  EXPECT_NE(err2.str().find("/header/batchId"), std::string::npos) << err2.str();
}

TEST(BatchStatusCommand, RefusesIdsThatCannotGoInAPath) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(Ctl({"batch", "status", "B1"}, out, err), kExitUsage);
  EXPECT_EQ(Ctl({"batch", "status", "B/1", "1"}, out, err), kExitUsage);
  EXPECT_EQ(Ctl({"batch", "status", "B1", "x"}, out, err), kExitUsage);
  EXPECT_EQ(Ctl({"batch", "status", "B1", "1", "--issuer", "A?b"}, out, err), kExitUsage);
  // Well-formed, but no c2p to ask.
  c2p::testing::ScratchDir dir;
  EXPECT_EQ(Ctl({"batch", "status", "B1", "1", "--sandbox", dir.path().string()}, out, err),
            kExitFailure);
}

}  // namespace
}  // namespace c2p::ctl
