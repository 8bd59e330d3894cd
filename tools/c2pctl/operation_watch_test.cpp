#include "tools/c2pctl/operation_watch.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <sstream>

#include "tools/c2pctl/cli.hpp"

namespace c2p::ctl {
namespace {

using namespace std::chrono_literals;

http::ClientResult Answer(unsigned status, std::string body) {
  http::ClientResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

http::ClientResult Op(const std::string& status) {
  return Answer(200, R"({"operationId":"op_1","operation":"CLICK_TO_PAY_ENROLMENT","status":")" +
                         status + R"(","cardId":"crd_1"})");
}

http::ClientResult Unreachable() {
  return tl::unexpected(http::TransportError{http::TransportErrorKind::kConnect, "cannot connect"});
}

// Plays the answers in order (the last one again when they run out) and records the waits
// asked for.
struct Script {
  Script(std::initializer_list<http::ClientResult> played) : answers(played) {}

  std::deque<http::ClientResult> answers;
  std::vector<std::chrono::seconds> waits;
  int renewals = 0;

  PollOperation Poll() {
    return [this](std::chrono::seconds wait) {
      waits.push_back(wait);
      http::ClientResult next = answers.front();
      if (answers.size() > 1) answers.pop_front();
      return next;
    };
  }
  RenewToken Renew() {
    return [this]() -> core::Result<void> {
      ++renewals;
      return {};
    };
  }
};

WatchOptions Fast() {
  WatchOptions options;
  options.timeout = 20s;
  options.first_pause = 1ms;
  options.max_pause = 2ms;
  options.again = "c2pctl op watch op_1";
  return options;
}

struct WatchRun {
  int code;
  std::string out;
  std::string err;
};

WatchRun Watch(Script& script, const WatchOptions& options) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = WatchOperation(script.Poll(), script.Renew(), options, "c2pctl op watch",
                                  "http://c2p", out, err);
  return {code, out.str(), err.str()};
}

TEST(OperationWatch, PrintsEachStateOnceAndEndsWithSuccess) {
  Script script{Op("PENDING"), Op("PENDING"), Op("PENDING"), Op("SUCCESSFUL")};
  const WatchRun run = Watch(script, Fast());
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out,
            "operation op_1 CLICK_TO_PAY_ENROLMENT PENDING card crd_1\n"
            "operation op_1 CLICK_TO_PAY_ENROLMENT SUCCESSFUL card crd_1\n");
  EXPECT_EQ(script.waits.size(), 4U);
  // The first poll asks for the state now; the next ones hold at c2p for at most max_wait.
  EXPECT_EQ(script.waits.front(), 0s);
  for (const auto wait : script.waits) EXPECT_LE(wait, 10s);
  EXPECT_GE(script.waits.at(1), 9s);
}

TEST(OperationWatch, JsonPrintsEachChangedBodyAsReceived) {
  Script script{Op("PENDING"), Op("FAILED")};
  WatchOptions options = Fast();
  options.json = true;
  const WatchRun run = Watch(script, options);
  EXPECT_EQ(run.code, kExitFailure);
  EXPECT_EQ(run.out, Op("PENDING")->body + "\n" + Op("FAILED")->body + "\n");
}

TEST(OperationWatch, AFailedOperationIsAFailure) {
  Script script{Op("FAILED")};
  EXPECT_EQ(Watch(script, Fast()).code, kExitFailure);
}

TEST(OperationWatch, AnUnknownOperationIsARefusal) {
  Script script{Answer(404, R"({"errorCode":"OPERATION_NOT_FOUND","error":"no such operation"})")};
  const WatchRun run = Watch(script, Fast());
  EXPECT_EQ(run.code, kExitRefused);
  EXPECT_NE(run.err.find("OPERATION_NOT_FOUND"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("c2pctl op list"), std::string::npos) << run.err;
}

TEST(OperationWatch, OutagesAreShownOnceAndRetried) {
  Script script{Op("PENDING"),
                Unreachable(),
                Unreachable(),
                Unreachable(),
                Answer(503, R"({"errorCode":"UNAVAILABLE"})"),
                Op("SUCCESSFUL")};
  const WatchRun run = Watch(script, Fast());
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.err,
            "c2pctl op watch: http://c2p: c2p unreachable (cannot connect), retrying\n"
            "c2pctl op watch: c2p answered 503, retrying\n");
}

TEST(OperationWatch, AnExpiredTokenIsRenewedOnce) {
  Script script{Answer(401, "{}"), Op("SUCCESSFUL")};
  EXPECT_EQ(Watch(script, Fast()).code, kExitOk);
  EXPECT_EQ(script.renewals, 1);
  // Refused again right after a new token: that is a refusal, not a loop.
  Script refused{Answer(401, R"({"errorCode":"AUTHORIZER_UNAUTHORIZED"})")};
  EXPECT_EQ(Watch(refused, Fast()).code, kExitRefused);
  EXPECT_EQ(refused.renewals, 1);
}

TEST(OperationWatch, TheDeadlineEndsItWithHowToFollowAgainAndNeverSpins) {
  // A c2p that does not hold the call: every answer comes back at once.
  Script script{Op("PENDING")};
  WatchOptions options = Fast();
  options.timeout = 1500ms;
  options.first_pause = 100ms;
  options.max_pause = 400ms;
  const auto start = std::chrono::steady_clock::now();
  const WatchRun run = Watch(script, options);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_EQ(run.code, kExitFailure);
  EXPECT_NE(run.err.find("still PENDING after 1 s; follow it again with c2pctl op watch op_1"),
            std::string::npos)
      << run.err;
  // 100 + 200 + 400 + 400 + 400 ms of pauses: a handful of polls, not thousands.
  EXPECT_LE(script.waits.size(), 8U);
  EXPECT_GE(script.waits.size(), 4U);
  // Never a wait past the deadline.
  for (const auto wait : script.waits) EXPECT_LE(wait, 1s);
}

}  // namespace
}  // namespace c2p::ctl
