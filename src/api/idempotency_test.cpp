// The Idempotency-Key middleware and WriteAnswered against a real SQLite store: a write and
// its recorded answer commit together, and a key another request recorded first (another
// node, between this request's check and its unit of work) undoes this request's write and
// replays the first answer. The rules over the wire are in
// tests/e2e/registry_idempotency_e2e_test.cpp; ClaimIdempotency on both backends in
// src/store/registry_store_test.cpp.

#include "api/idempotency.hpp"
#include "core/time_format.hpp"

#include <gtest/gtest.h>

#include "core/block_on.hpp"
#include "core/metrics.hpp"
#include "store/store_test_util.hpp"

namespace c2p::api {
namespace {

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using store::testing::Await;
using store::testing::StartWrite;

constexpr const char* kIssuer = "ISSUER0001";
constexpr const char* kPath = "/banking/v2/issuers/ISSUER0001/consumers/cons_1";
constexpr const char* kBody = R"({"state":"ACTIVE"})";

class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenStore("sqlite:" + dir_.File("c2p.db"), {}, registry_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  Request PutWithKey(std::string_view key) {
    http::RawRequest raw{http::beast_http::verb::put, kPath, 11};
    raw.set("Idempotency-Key", key);
    raw.body() = kBody;
    Request request(std::move(raw), kPath, "");
    request.set_principal(kIssuer, 0);
    return request;
  }

  // The unit of work of a consumer PUT, reduced to its row.
  static store::WriteWork AddConsumer(std::string id) {
    return [id = std::move(id)](store::WriteTx& tx) {
      return tx.AddConsumer(store::ConsumerRecord{kIssuer, id, "ACTIVE", std::nullopt, 1, 1});
    };
  }

  static Reply Created(std::string body) {
    Reply reply;
    reply.status = http::Status::created;
    reply.body = std::move(body);
    return reply;
  }

  bool ConsumerExists(std::string_view id) {
    return core::BlockOn(store_->GetConsumer(kIssuer, id)).value().has_value();
  }

  std::optional<store::IdempotencyRecord> Record(std::string_view key) {
    return core::BlockOn(store_->GetIdempotency(kIssuer, key)).value();
  }

  // Records `reply` under `key` for this test's request, as another node would.
  void RecordElsewhere(std::string_view key, int status, std::string body) {
    const store::IdempotencyRecord record{kIssuer,
                                          std::string(key),
                                          RequestFingerprint("PUT", kPath, kBody),
                                          status,
                                          "[]",
                                          std::move(body),
                                          core::UnixMillisNow()};
    auto f = StartWrite(elsewhere_.io(), *store_, [&](store::WriteTx& tx) -> core::Result<void> {
      auto claimed = tx.ClaimIdempotency(record, 0);
      if (!claimed) return tl::unexpected(claimed.error());
      if (!*claimed) return core::Fail(core::ErrorCode::kInternal, "key already held");
      return {};
    });
    ASSERT_TRUE(Await(f));
  }

  // Runs the middleware around `handler` on the test's io_context.
  Reply Run(Request& request, http::Next handler) {
    auto middleware = IdempotencyMiddleware(*store_, in_flight_);
    auto done = asio::co_spawn(io_.io(), middleware(request, handler), asio::use_future);
    if (done.wait_for(store::testing::kDeadline) != std::future_status::ready) {
      ADD_FAILURE() << "the middleware did not answer";
      io_.io().stop();  // it must not resume once `request` is gone
      return {};
    }
    return done.get();
  }

  store::testing::TempDir dir_;
  core::metrics::Registry registry_;
  store::testing::IoThreads io_{1};
  store::testing::IoThreads elsewhere_{1};  // the other node's writes, while io_ waits
  std::unique_ptr<store::Store> store_;
  InFlightKeys in_flight_;
};

std::string_view Header(const Reply& reply, std::string_view name) {
  for (const auto& [n, v] : reply.headers) {
    if (n == name) return v;
  }
  return {};
}

TEST_F(IdempotencyTest, AWriteAndItsAnswerAreRecordedInOneUnit) {
  Request request = PutWithKey("k-1");
  int units = 0;
  const Reply reply = Run(request, [&](Request& r) -> asio::awaitable<Reply> {
    auto answered = co_await WriteAnswered(*store_, r, AddConsumer("cons_1"), [&] {
      ++units;
      return Created(R"({"consumerId":"cons_1"})");
    });
    co_return answered ? *answered : http::ErrorReply(answered.error());
  });
  EXPECT_EQ(reply.status, http::Status::created);
  EXPECT_EQ(units, 1);  // the answer was made once, inside the unit
  ASSERT_NE(request.idempotency_key(), nullptr);
  EXPECT_TRUE(request.idempotency_key()->answer_recorded);
  EXPECT_TRUE(ConsumerExists("cons_1"));
  auto record = Record("k-1");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->status, 201);
  EXPECT_EQ(record->body, R"({"consumerId":"cons_1"})");

  // The same request again is answered from the record, without running the handler.
  Request again = PutWithKey("k-1");
  bool ran = false;
  const Reply replay = Run(again, [&](Request&) -> asio::awaitable<Reply> {
    ran = true;
    co_return Created("{}");
  });
  EXPECT_FALSE(ran);
  EXPECT_EQ(replay.status, http::Status::created);
  EXPECT_EQ(replay.body, R"({"consumerId":"cons_1"})");
  EXPECT_EQ(Header(replay, "Idempotent-Replayed"), "true");
}

TEST_F(IdempotencyTest, AKeyRecordedElsewhereMeanwhileUndoesTheWriteAndReplaysTheFirstAnswer) {
  Request request = PutWithKey("k-2");
  const Reply reply = Run(request, [&](Request& r) -> asio::awaitable<Reply> {
    // Another node answers the same request with the same key after this one's check.
    RecordElsewhere("k-2", 201, R"({"first":true})");
    auto answered = co_await WriteAnswered(*store_, r, AddConsumer("cons_2"),
                                           [] { return Created(R"({"second":true})"); });
    co_return answered ? *answered : http::ErrorReply(answered.error());
  });
  EXPECT_FALSE(ConsumerExists("cons_2"));  // the unit of work was undone with the claim
  EXPECT_EQ(reply.status, http::Status::created);
  EXPECT_EQ(reply.body, R"({"first":true})");
  EXPECT_EQ(Header(reply, "Idempotent-Replayed"), "true");
  EXPECT_EQ(Record("k-2")->body, R"({"first":true})");
}

TEST_F(IdempotencyTest, ARefusalIsRecordedAloneAndAnUnreplayableAnswerNotAtAll) {
  Request refused = PutWithKey("k-3");
  const Reply conflict = Run(refused, [&](Request& r) -> asio::awaitable<Reply> {
    auto answered = co_await WriteAnswered(
        *store_, r,
        [](store::WriteTx&) -> core::Result<void> {
          return core::Fail(core::ErrorCode::kInvalidState, "refused");
        },
        [] { return Created("{}"); });
    co_return answered ? *answered : http::ErrorReply(answered.error());
  });
  EXPECT_EQ(static_cast<int>(conflict.status), Record("k-3").value().status);
  EXPECT_FALSE(refused.idempotency_key()->answer_recorded);  // recorded by the middleware

  Request unavailable = PutWithKey("k-4");
  const Reply busy = Run(unavailable, [&](Request& r) -> asio::awaitable<Reply> {
    auto answered = co_await WriteAnswered(*store_, r, AddConsumer("cons_4"), [] {
      Reply reply;
      reply.status = http::Status::service_unavailable;
      return reply;
    });
    co_return answered ? *answered : http::ErrorReply(answered.error());
  });
  EXPECT_EQ(busy.status, http::Status::service_unavailable);
  EXPECT_FALSE(Record("k-4"));
}

TEST_F(IdempotencyTest, WithoutAKeyTheAnswerIsMadeAfterTheUnitAndNothingIsRecorded) {
  http::RawRequest raw{http::beast_http::verb::put, kPath, 11};
  raw.body() = kBody;
  Request request(std::move(raw), kPath, "");
  request.set_principal(kIssuer, 0);
  const Reply reply = Run(request, [&](Request& r) -> asio::awaitable<Reply> {
    auto answered = co_await WriteAnswered(*store_, r, AddConsumer("cons_5"),
                                           [] { return Created(R"({"n":5})"); });
    co_return answered ? *answered : http::ErrorReply(answered.error());
  });
  EXPECT_EQ(reply.body, R"({"n":5})");
  EXPECT_TRUE(ConsumerExists("cons_5"));
  EXPECT_EQ(request.idempotency_key(), nullptr);
}

}  // namespace
}  // namespace c2p::api
