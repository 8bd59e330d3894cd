// Reads on a reactor (Connection::AwaitRead, ReaderPool::Acquire) against the test
// PostgreSQL: the waiting thread keeps serving its other work, a busy pool is waited for
// without blocking, and a read abandoned mid-statement leaves no half-used session behind.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "store/postgres/binding.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/reader_pool.hpp"
#include "store/postgres/sql.hpp"
#include "tests/support/test_postgres.hpp"

namespace c2p::store::postgres {
namespace {

namespace asio = boost::asio;
using core::ErrorCode;
using std::chrono::milliseconds;

C2P_PG_SQL(kTestSleepMs, "SELECT pg_sleep($1::float8 / 1000), $1::bigint");

// A read that takes `ms` on the server and answers `ms`.
auto SleepRead(std::int64_t ms) {
  return [ms](Connection& c) -> core::Result<std::int64_t> {
    auto rows = Query(c, kTestSleepMs, ms);
    if (!rows) return tl::unexpected(std::move(rows.error()));
    if (rows->Rows() != 1) return core::Fail(ErrorCode::kInternal, "no row");
    return rows->Int(0, 1);
  };
}

class PgAsyncReadTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(db_.error(), ""); }

  Connection Open() {
    auto conn = Connection::Open(db_.url(), 5);
    EXPECT_TRUE(conn) << conn.error().message;
    return std::move(*conn);
  }

  c2p::testing::PostgresDatabase db_;
};

TEST_F(PgAsyncReadTest, AReadWaitsForTheServerWithoutHoldingItsThread) {
  Connection conn = Open();
  asio::io_context io;
  std::optional<core::Result<std::int64_t>> answer;
  std::optional<bool> read_done_when_timer_fired;
  asio::steady_timer timer(io, milliseconds(20));
  timer.async_wait([&](auto) { read_done_when_timer_fired = answer.has_value(); });
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { answer = co_await conn.AwaitRead(SleepRead(1000)); },
      asio::detached);
  io.run();
  ASSERT_TRUE(read_done_when_timer_fired.has_value());
  // The timer, due long before the server answers, ran while the read was waiting.
  EXPECT_FALSE(*read_done_when_timer_fired);
  ASSERT_TRUE(answer && *answer) << (answer ? answer->error().message : "no answer");
  EXPECT_EQ(**answer, 1000);
  EXPECT_FALSE(conn.Broken());
}

TEST_F(PgAsyncReadTest, ABusyPoolIsWaitedForOnTheSameThread) {
  std::vector<Connection> one;
  one.push_back(Open());
  ReaderPool pool(std::move(one), std::chrono::seconds(5));
  asio::io_context io;
  std::vector<std::int64_t> answers;
  const auto read = [&](std::int64_t ms) -> asio::awaitable<void> {
    auto lease = co_await pool.Acquire(milliseconds(5000));
    EXPECT_TRUE(lease) << lease.error().message;
    if (!lease) co_return;
    auto answer = co_await (*lease)->AwaitRead(SleepRead(ms));
    EXPECT_TRUE(answer) << answer.error().message;
    if (answer) answers.push_back(*answer);
  };
  // Both on one thread and one connection: the second can only get its lease if the
  // first's wait for the server left the thread free, and then it must be woken.
  asio::co_spawn(io, read(200), asio::detached);
  asio::co_spawn(io, read(10), asio::detached);
  io.run();
  EXPECT_EQ(answers, (std::vector<std::int64_t>{200, 10}));
}

TEST_F(PgAsyncReadTest, APoolThatStaysBusyAnswersUnavailableAtTheDeadline) {
  std::vector<Connection> one;
  one.push_back(Open());
  ReaderPool pool(std::move(one), std::chrono::seconds(5));
  asio::io_context io;
  std::optional<core::Result<ReaderPool::Lease>> second;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto held = co_await pool.Acquire(milliseconds(5000));
        EXPECT_TRUE(held);
        second.emplace(co_await pool.Acquire(milliseconds(50)));
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(second.has_value());
  ASSERT_FALSE(*second);
  EXPECT_EQ(second->error().code, ErrorCode::kUnavailable);
}

TEST_F(PgAsyncReadTest, ALostReaderIsRemadeWhenNextLeased) {
  std::vector<Connection> one;
  one.push_back(Open());
  ReaderPool pool(std::move(one), std::chrono::seconds(5));
  ASSERT_TRUE(db_.CutConnections());
  asio::io_context io;
  std::vector<core::Result<std::int64_t>> answers;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 2; ++i) {
          auto lease = co_await pool.Acquire(milliseconds(5000));
          if (!lease) {
            answers.emplace_back(tl::unexpected(lease.error()));
            continue;
          }
          answers.push_back(co_await (*lease)->AwaitRead(SleepRead(1)));
        }
      },
      asio::detached);
  io.run();
  ASSERT_EQ(answers.size(), 2U);
  // The first read finds the session gone; the next lease re-makes it.
  ASSERT_FALSE(answers[0]);
  EXPECT_EQ(answers[0].error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(answers[1]) << answers[1].error().message;
  EXPECT_EQ(*answers[1], 1);
}

TEST_F(PgAsyncReadTest, AReadAbandonedMidStatementLeavesTheSessionToBeRemade) {
  Connection conn = Open();
  {
    asio::io_context io;
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { (void)co_await conn.AwaitRead(SleepRead(5000)); },
        asio::detached);
    io.run_for(milliseconds(100));
    // The io_context goes with the read still waiting: its coroutine is destroyed.
  }
  EXPECT_TRUE(conn.Broken());
  ASSERT_TRUE(conn.Reset());
  asio::io_context io;
  std::optional<core::Result<std::int64_t>> answer;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { answer = co_await conn.AwaitRead(SleepRead(1)); },
      asio::detached);
  io.run();
  ASSERT_TRUE(answer && *answer) << (answer ? answer->error().message : "no answer");
  EXPECT_EQ(**answer, 1);
}

TEST_F(PgAsyncReadTest, AReadOfTwoStatementsIsRefused) {
  Connection conn = Open();
  asio::io_context io;
  std::optional<core::Result<void>> answer;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        answer = co_await conn.AwaitRead([](Connection& c) -> core::Result<void> {
          if (auto first = Done(Query(c, sql::kSelectOne)); !first) return first;
          return Done(Query(c, sql::kSelectOne));
        });
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(answer.has_value());
  ASSERT_FALSE(*answer);
  EXPECT_EQ(answer->error().code, ErrorCode::kInternal);
}

TEST_F(PgAsyncReadTest, ALostSessionIsUnavailable) {
  Connection conn = Open();
  ASSERT_TRUE(db_.CutConnections());
  asio::io_context io;
  std::optional<core::Result<void>> answer;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        answer =
            co_await conn.AwaitRead([](Connection& c) { return Done(Query(c, sql::kSelectOne)); });
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(answer.has_value());
  ASSERT_FALSE(*answer);
  EXPECT_EQ(answer->error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(conn.Broken());
}

}  // namespace
}  // namespace c2p::store::postgres
