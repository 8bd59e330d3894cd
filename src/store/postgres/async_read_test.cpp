// Reads on a reactor (Connection::AwaitRead, ReaderPool::Acquire) against the test
// PostgreSQL: the waiting thread keeps serving its other work, a busy pool is waited for
// without blocking, a read abandoned mid-statement leaves no half-used session behind, and
// a reconnection the server never answers ends at our deadline.

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

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

// A TCP relay in front of the test PostgreSQL, on a thread of its own. It forwards until
// Blackhole(); then the sessions it carried are cut, and the connections it accepts from
// then on are held open and never answered: a server that hangs in the handshake.
class Relay {
 public:
  explicit Relay(asio::ip::tcp::endpoint target)
      : target_(target), acceptor_(io_, {asio::ip::address_v4::loopback(), 0}) {
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;
  ~Relay() {
    // Closing everything ends every coroutine, and with them the thread's run().
    asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      CloseAll();
    });
    thread_.join();
  }

  std::uint16_t port() const { return port_; }

  void Blackhole() {
    std::promise<void> done;
    asio::post(io_, [&] {
      blackhole_ = true;
      CloseAll();
      done.set_value();
    });
    done.get_future().wait();
  }

 private:
  using Socket = std::shared_ptr<asio::ip::tcp::socket>;

  asio::awaitable<void> Accept() {
    for (;;) {
      auto [error, accepted] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (error) co_return;
      auto client = std::make_shared<asio::ip::tcp::socket>(std::move(accepted));
      sockets_.push_back(client);
      if (blackhole_) continue;
      auto server = std::make_shared<asio::ip::tcp::socket>(io_);
      sockets_.push_back(server);
      auto [refused] = co_await server->async_connect(target_, asio::as_tuple(asio::use_awaitable));
      if (refused) continue;
      asio::co_spawn(io_, Pump(client, server), asio::detached);
      asio::co_spawn(io_, Pump(server, client), asio::detached);
    }
  }

  static asio::awaitable<void> Pump(Socket from, Socket to) {
    std::array<char, 8192> buffer{};
    for (;;) {
      auto [error, n] =
          co_await from->async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
      if (error) break;
      auto [failed, written] = co_await asio::async_write(*to, asio::buffer(buffer.data(), n),
                                                          asio::as_tuple(asio::use_awaitable));
      if (failed) break;
    }
    boost::system::error_code ignored;
    to->close(ignored);
  }

  void CloseAll() {
    for (auto& socket : sockets_) {
      boost::system::error_code ignored;
      socket->close(ignored);
    }
    sockets_.clear();
  }

  asio::io_context io_;
  asio::ip::tcp::endpoint target_;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = acceptor_.local_endpoint().port();
  std::vector<Socket> sockets_;  // the relay thread's only
  bool blackhole_ = false;       // the relay thread's only
  std::thread thread_;
};

// `url` (postgresql://user@host:port/db) with host:port replaced by the relay's, and the
// host and port it named.
struct Relayed {
  std::string url;
  asio::ip::tcp::endpoint target;
};
Relayed ThroughRelay(const std::string& url, std::uint16_t relay_port) {
  const auto authority = url.find("://") + 3;
  const auto path = url.find('/', authority);
  const auto at = url.rfind('@', path);
  const auto host = (at == std::string::npos || at < authority) ? authority : at + 1;
  const auto colon = url.rfind(':', path);
  const std::string address = url.substr(host, colon - host);
  const auto port = static_cast<std::uint16_t>(std::stoi(url.substr(colon + 1, path - colon - 1)));
  return {url.substr(0, host) + "127.0.0.1:" + std::to_string(relay_port) + url.substr(path),
          {asio::ip::make_address(address), port}};
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

TEST_F(PgAsyncReadTest, AReconnectionTheServerNeverAnswersEndsAtTheDeadline) {
  // The relay needs the server's address before it starts: the port it listens on is
  // only known once it does, hence two readings of the URL.
  Relay relay(ThroughRelay(db_.url(), 0).target);
  auto conn = Connection::Open(ThroughRelay(db_.url(), relay.port()).url, 5);
  ASSERT_TRUE(conn) << conn.error().message;
  relay.Blackhole();
  asio::io_context io;
  std::optional<core::Result<void>> answer;
  const auto start = std::chrono::steady_clock::now();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> { answer = co_await conn->ResetAwaited(milliseconds(300)); },
      asio::detached);
  io.run();
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(answer.has_value());
  ASSERT_FALSE(*answer);
  EXPECT_EQ(answer->error().code, ErrorCode::kUnavailable);
  // Our deadline ended it: neither libpq's connect_timeout (5 s, which PQresetPoll does
  // not apply) nor the relay, which never answers.
  EXPECT_GE(took, milliseconds(300));
  EXPECT_LT(took, std::chrono::seconds(4));
  // Half-made, the session is made again from the start next time.
  EXPECT_TRUE(conn->Broken());
}

}  // namespace
}  // namespace c2p::store::postgres
