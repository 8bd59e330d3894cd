// The command line as a whole: exit codes, --version, usage errors, where a command goes
// (sandbox.json or --url), how c2p's answers are reported.

#include "tools/c2pctl/cli.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "tools/c2pctl/batch_test_support.hpp"
#include "tools/c2pctl/issuer_api.hpp"
#include "tools/c2pctl/token_command.hpp"

namespace c2p::ctl {
namespace {

using testing::FakeSandbox;
using testing::WriteText;

struct CtlRun {
  int code;
  std::string out;
  std::string err;
};

CtlRun Ctl(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"c2pctl"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunC2pctl(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

http::ClientResult Answer(unsigned status, std::string body) {
  http::ClientResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

TEST(C2pctl, VersionNamesTheProjectVersionAndTheCommit) {
  const CtlRun run = Ctl({"--version"});
  EXPECT_EQ(run.code, kExitOk);
  EXPECT_TRUE(run.out.starts_with("c2pctl 0.")) << run.out;
  EXPECT_NE(run.out.find(" (commit "), std::string::npos) << run.out;
}

TEST(C2pctl, ExitCodesOfAnswers) {
  EXPECT_EQ(ExitForStatus(200), kExitOk);
  EXPECT_EQ(ExitForStatus(202), kExitOk);
  for (unsigned s : {400U, 401U, 403U, 404U, 409U, 422U, 429U}) EXPECT_EQ(ExitForStatus(s), 3);
  for (unsigned s : {0U, 302U, 500U, 503U}) EXPECT_EQ(ExitForStatus(s), kExitFailure);
  EXPECT_EQ(ExitFor(core::Error::Make(core::ErrorCode::kAlreadyEnrolled, "")), kExitRefused);
  EXPECT_EQ(ExitFor(core::Error::Make(core::ErrorCode::kUnauthorized, "")), kExitRefused);
  EXPECT_EQ(ExitFor(core::Error::Make(core::ErrorCode::kIo, "")), kExitFailure);
  EXPECT_EQ(ExitFor(core::Error::Make(core::ErrorCode::kConfigInvalid, "")), kExitFailure);
  EXPECT_EQ(ExitFor(core::Error::Make(core::ErrorCode::kUnavailable, "")), kExitFailure);
}

TEST(C2pctl, UsageErrorsAreExit2BeforeAnythingIsSent) {
  const std::vector<std::vector<std::string>> wrong = {
      {},
      {"nonsense"},
      {"enrol"},
      {"enrol", "--card-id", "a/b"},
      {"enrol", "--card-id", "c", "--reason-code", "WHIM"},
      {"enrol", "--card-id", "c", "--watch", "--timeout", "0"},
      {"update-card", "--card-id", "c"},
      {"update-consumer", "--consumer-id", "c"},
      {"opt-out"},
      {"opt-out", "--card-id", "c", "--consumer-id", "k"},
      {"profiles"},
      {"op"},
      {"op", "get"},
      {"op", "get", "op/1"},
      {"op", "list"},
      {"op", "list", "--card-id", "c", "--consumer-id", "k"},
      {"op", "list", "--card-id", "c", "--limit", "101"},
      {"op", "watch", "op_1", "--timeout", "-1"},
      {"migrate"},
      {"register-card", "--card-id", "c?", "--consumer-id", "k", "--pan", "1", "--exp", "1"},
  };
  for (const auto& args : wrong) {
    // --url names a port nothing listens on: a usage error must not even try it.
    std::vector<std::string> with_url = args;
    if (!args.empty() && args[0] != "migrate" && args[0] != "nonsense" && args[0] != "op") {
      with_url.insert(with_url.end(), {"--url", "http://127.0.0.1:1", "--issuer", "I"});
    }
    const CtlRun run = Ctl(with_url);
    EXPECT_EQ(run.code, kExitUsage) << ::testing::PrintToString(with_url) << run.err;
    EXPECT_EQ(run.err.find("connect"), std::string::npos) << run.err;
  }
}

TEST(C2pctl, TheTargetComesFromSandboxJsonUnlessGiven) {
  FakeSandbox sandbox;
  TokenOptions options;
  options.sandbox = sandbox.dir.path().string();
  auto target = ResolveTarget(options);
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->url, "http://127.0.0.1:1");
  EXPECT_EQ(target->issuer, "SANDBOX001");
  options.issuer = "SANDBOX002";
  options.url = "http://c2p.example";
  target = ResolveTarget(options);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->url, "http://c2p.example");
  EXPECT_EQ(target->issuer, "SANDBOX002");
  // Neither a sandbox nor --url: the message says what to give.
  options.sandbox = (sandbox.dir / "none").string();
  options.url.clear();
  target = ResolveTarget(options);
  ASSERT_FALSE(target);
  EXPECT_NE(target.error().message.find("give --url URL --issuer ID --key FILE"),
            std::string::npos);
  EXPECT_EQ(ExitFor(target.error()), kExitFailure);
}

TEST(C2pctl, TargetOptionsMayComeBeforeTheCommand) {
  FakeSandbox sandbox;
  const std::string dir = sandbox.dir.path().string();
  // As spec/sandbox.md writes it: the options move after the command, the same ones.
  const CtlRun before = Ctl({"--sandbox", dir, "--issuer=SANDBOX002", "token", "--assertion-only"});
  EXPECT_EQ(before.code, kExitOk) << before.err;
  const CtlRun unknown = Ctl({"--sandbox", dir, "--issuer", "NOPE", "token", "--assertion-only"});
  EXPECT_EQ(unknown.code, kExitFailure);
  EXPECT_NE(unknown.err.find("NOPE is not in the sandbox"), std::string::npos) << unknown.err;
  // Before a command that has no such option: a usage error.
  EXPECT_EQ(Ctl({"--sandbox", dir, "migrate", "--store", "sqlite:x"}).code, kExitUsage);
  EXPECT_EQ(Ctl({"--sandbox"}).code, kExitUsage);
}

TEST(C2pctl, TheAssertionIsSignedWithTheSandboxIssuersKey) {
  FakeSandbox sandbox;
  const CtlRun run = Ctl({"token", "--assertion-only", "--sandbox", sandbox.dir.path().string()});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '.'), 2) << run.out;
  // An issuer the sandbox does not have.
  const CtlRun other = Ctl(
      {"token", "--assertion-only", "--sandbox", sandbox.dir.path().string(), "--issuer", "NOPE"});
  EXPECT_EQ(other.code, kExitFailure);
  EXPECT_NE(other.err.find("NOPE is not in the sandbox"), std::string::npos) << other.err;
}

TEST(C2pctl, AnUnreachableC2pIsAFailureThatSaysWhatToCheck) {
  FakeSandbox sandbox;  // baseUrl http://127.0.0.1:1: nothing listens there
  const std::string dir = sandbox.dir.path().string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"enrol", "--card-id", "crd_1"},
        {"profiles", "--consumer-id", "cons_1"},
        {"op", "get", "op_1"},
        {"op", "watch", "op_1", "--timeout", "1"},
        {"token"}}) {
    std::vector<std::string> with = args;
    with.insert(with.end(), {"--sandbox", dir});
    const CtlRun run = Ctl(with);
    EXPECT_EQ(run.code, kExitFailure) << ::testing::PrintToString(args);
    EXPECT_NE(run.err.find("is c2pd running there?"), std::string::npos) << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  }
}

TEST(C2pctl, ARefusalIsExit3WithC2psCodeAndTheNextStep) {
  std::ostringstream out;
  std::ostringstream err;
  const auto refused =
      Answer(409, R"({"errorCode":"NOT_ENROLLED","error":"the card is not enrolled"})");
  EXPECT_EQ(ReportFailedCall("c2pctl opt-out", "http://c2p", refused, false, out, err),
            kExitRefused);
  EXPECT_EQ(err.str(),
            "c2pctl opt-out: refused (409 NOT_ENROLLED: the card is not enrolled); enrol it "
            "first: c2pctl enrol --card-id ID\n");
  EXPECT_TRUE(out.str().empty());
  // --json: the body as received on stdout too, for a script to read errorCode.
  std::ostringstream json_out;
  std::ostringstream json_err;
  EXPECT_EQ(ReportFailedCall("c2pctl opt-out", "http://c2p", refused, true, json_out, json_err),
            kExitRefused);
  EXPECT_EQ(json_out.str(), refused->body + "\n");
}

TEST(C2pctl, AServerErrorIsAFailureAndAnAnswerIsDescribed) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(ReportCall(
                "c2pctl profiles", "http://c2p",
                Answer(503, R"({"errorCode":"UNAVAILABLE","error":"shutting down"})"), false,
                [](std::string_view) { return std::string("x\n"); }, out, err),
            kExitFailure);
  EXPECT_NE(err.str().find("503 UNAVAILABLE: shutting down"), std::string::npos) << err.str();
  std::ostringstream out2;
  EXPECT_EQ(ReportCall(
                "c2pctl profiles", "http://c2p", Answer(200, "{}"), false,
                [](std::string_view body) { return "saw " + std::string(body) + "\n"; }, out2, err),
            kExitOk);
  EXPECT_EQ(out2.str(), "saw {}\n");
  // A 200 c2pctl cannot read is not a success.
  EXPECT_EQ(ReportCall(
                "c2pctl profiles", "http://c2p", Answer(200, "<html>"), false,
                [](std::string_view) { return std::string(); }, out2, err),
            kExitFailure);
}

TEST(C2pctl, AConsumerFileThatIsNotJsonIsNeverQuoted) {
  FakeSandbox sandbox;
  WriteText(sandbox.dir / "info.json", R"({"email":"jane@example.com",)");
  const CtlRun run =
      Ctl({"register-consumer", "--consumer-id", "cons_1", "--info",
           (sandbox.dir / "info.json").string(), "--sandbox", sandbox.dir.path().string()});
  EXPECT_EQ(run.code, kExitFailure);
  EXPECT_NE(run.err.find("not a JSON object"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("jane"), std::string::npos) << run.err;
}

TEST(C2pctl, MigrateAppliesTheMigrationsAndPrintsTheSchemaVersion) {
  FakeSandbox sandbox;
  const std::string url = "sqlite:" + (sandbox.dir / "c2p.db").string();
  const std::string newest = std::to_string(store::sqlite::NewestMigrationVersion());
  const CtlRun run = Ctl({"migrate", "--store", url});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out, "store migrated: schema version " + newest + "\n");
  // Again: nothing left to apply, same answer; --json for scripts.
  const CtlRun again = Ctl({"migrate", "--store", url, "--json"});
  ASSERT_EQ(again.code, kExitOk) << again.err;
  EXPECT_EQ(again.out, "{\"schemaVersion\":" + newest + "}\n");
  const CtlRun bad = Ctl({"migrate", "--store", "mysql://u:secret@h/db"});
  EXPECT_EQ(bad.code, kExitFailure);
  EXPECT_EQ(bad.err.find("secret"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace c2p::ctl
