// The LISTEN side of wait= across nodes, on the test PostgreSQL: a NOTIFY on the channel
// reaches the callback, one on another channel does not, and a listener whose connection
// is killed reconnects, says ends may have been missed (""), and hears the next one.

#include "store/postgres/operation_listener.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/store_test_util.hpp"
#include "tests/support/test_postgres.hpp"

namespace c2p::store::postgres {
namespace {

using testing::WaitUntil;

class OperationListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(db_.error(), "");
    auto conn = Connection::Open(db_.url(), 5);
    ASSERT_TRUE(conn) << conn.error().message;
    conn_.emplace(std::move(*conn));
    listener_.emplace(db_.url(), [this](const std::string& key) {
      std::lock_guard lock(mu_);
      heard_.push_back(key);
    });
  }

  std::vector<std::string> Heard() {
    std::lock_guard lock(mu_);
    return heard_;
  }

  // NOTIFYs until the listener hears `key`: the listener connects on its own thread, so
  // the first ones may go out before its LISTEN.
  bool NotifyUntilHeard(const std::string& key) {
    return WaitUntil(
        [&] {
          EXPECT_TRUE(conn_->Exec("NOTIFY c2p_operation_ended, '" + key + "'"));
          for (const auto& h : Heard()) {
            if (h == key) return true;
          }
          return false;
        },
        std::chrono::seconds(20));
  }

  c2p::testing::PostgresDatabase db_;
  std::optional<Connection> conn_;
  std::mutex mu_;
  std::vector<std::string> heard_;  // guarded by mu_
  std::optional<OperationListener> listener_;
};

TEST_F(OperationListenerTest, HearsTheOperationsThatEndAndNothingElse) {
  ASSERT_TRUE(conn_->Exec("NOTIFY other_channel, 'ISSUER0001/op_other'"));
  ASSERT_TRUE(NotifyUntilHeard("ISSUER0001/op_1"));
  // "" once, after its LISTEN (nothing was missed yet, but it cannot know that).
  for (const auto& h : Heard()) EXPECT_TRUE(h == "ISSUER0001/op_1" || h.empty()) << h;
  const auto heard = Heard();
  EXPECT_EQ(std::count(heard.begin(), heard.end(), ""), 1);
}

TEST_F(OperationListenerTest, ReconnectsWhenItsSessionIsKilled) {
  ASSERT_TRUE(NotifyUntilHeard("ISSUER0001/op_before"));
  const auto before = Heard();
  ASSERT_EQ(std::count(before.begin(), before.end(), ""), 1);
  ASSERT_TRUE(conn_->Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
      "AND query LIKE 'LISTEN%'"));
  ASSERT_TRUE(NotifyUntilHeard("ISSUER0001/op_after"));
  const auto after = Heard();
  EXPECT_EQ(std::count(after.begin(), after.end(), ""), 2);  // the second LISTEN's
}

}  // namespace
}  // namespace c2p::store::postgres
