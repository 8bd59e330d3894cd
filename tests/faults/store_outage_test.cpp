// Issues 10 and 11: the store goes away under enrolment load and comes back.
//
// - DiskFull: c2pd's SQLite file on a small tmpfs of its own; once enrolments flow, a
//   filler file takes the rest of the space. Writes answer 503 UNAVAILABLE with
//   Retry-After, reads and /healthz keep answering, c2pd stays up; the filler deleted, c2pd
//   acknowledges again by itself, and the history checker finds every acknowledged
//   enrolment stored, ended once, notified, no card enrolled twice; the file passes
//   SQLite's integrity check.
// - PostgresRestart: c2pd on a PostgreSQL cluster of the test's own (scripts/pg.sh: the
//   shared test cluster serves the parallel suites and must not restart under them),
//   stopped (`pg_ctl stop -m fast`) under load for a few seconds and started again on the
//   same data directory and port. Clients see 503 (never 500, never a hang), /readyz is
//   503 meanwhile, c2pd serves again by itself, and the checker is clean.
//
// The tmpfs mount needs root (CI runs as root): when it is refused the test fails and
// says so.

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "tests/faults/outage_fixture.hpp"

namespace c2p::testing {
namespace {

constexpr int kClients = 4;

// --- Disk full -------------------------------------------------------------------------

class DiskFull : public OutageSuite {
 protected:
  static void SetUpTestSuite() {
    data_ = std::filesystem::weakly_canonical(std::filesystem::path(BinDir()) / ".." / "test-tmp" /
                                              "DiskFull-data")
                .string();
    // A mount left by an interrupted run is taken away first.
    (void)umount2(data_.c_str(), MNT_DETACH);
    std::filesystem::create_directories(data_);
    // Room for the load before the filler (the WAL included); small enough to fill fast.
    if (mount("tmpfs", data_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0700") != 0) {
      FAIL() << "cannot mount a tmpfs on " << data_ << " (" << std::strerror(errno)
             << "): the disk-full test needs root (CI runs as root)";
    }
    mounted_ = true;
    store_dir_ = data_;
    OutageSuite::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    OutageSuite::TearDownTestSuite();
    store_dir_.clear();
    if (mounted_) {
      EXPECT_EQ(umount2(data_.c_str(), MNT_DETACH), 0) << std::strerror(errno);
    }
    mounted_ = false;
  }

  // Writes a filler file until the file system refuses (ENOSPC); its size.
  static std::int64_t Fill(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    EXPECT_GE(fd, 0) << std::strerror(errno);
    if (fd < 0) return 0;
    std::int64_t size = 0;
    std::vector<char> block(std::size_t{64} * 1024, 'f');
    // Large blocks, then page-sized ones for the last pages.
    for (std::size_t chunk : {block.size(), std::size_t{4096}, std::size_t{512}}) {
      for (;;) {
        const ssize_t n = ::write(fd, block.data(), chunk);
        if (n <= 0) break;
        size += n;
      }
    }
    EXPECT_EQ(errno, ENOSPC) << std::strerror(errno);
    ::close(fd);
    return size;
  }

  // SQLite's own check of the file, read-only beside the running c2pd.
  static std::string IntegrityCheck() {
    sqlite3* db = nullptr;
    std::string out = "cannot open";
    if (sqlite3_open_v2(SqlitePath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
  }

  static inline std::string data_;
  static inline bool mounted_ = false;
};

TEST_F(DiskFull, WritesAnswer503ReadsServeAndItRecoversWhenSpaceReturns) {
  auto options = Options();
  options.all_successful = true;
  Load load;
  std::string acked_operation;
  int retried_before = 0;
  int retried_full = 0;
  std::int64_t filler = 0;
  RunLoad(load, kClients, [&] {
    for (const auto& r : load.history.Requests()) {
      if (r.outcome == faults::Request::Outcome::kAcknowledged &&
          r.operation == faults::kEnrolment) {
        acked_operation = r.operation_id;
      }
    }
    retried_before = load.retried;
    filler = Fill(store_dir_ + "/filler");
    // The WAL's free frames and the file's free pages are used up first: the clients' own
    // writes bring the store to the refusal.
    ASSERT_TRUE(Eventually([&] { return load.retried > retried_before + 20; },
                           std::chrono::seconds(30), std::chrono::milliseconds(20)))
        << "no write was refused with the disk full";
    // A write of our own: refused at once, as the contract says, not half done.
    const auto asked = std::chrono::steady_clock::now();
    auto w = Call("PUT", Consumer(kIssuerB, "c-fetch-full"), "{}", kIssuerB,
                  "Idempotency-Key: full-1\r\n");
    EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(2));
    EXPECT_EQ(w.status, 503) << w.body;
    EXPECT_EQ(ErrorCodeOf(w), "UNAVAILABLE") << w.body;
    EXPECT_EQ(w.header("retry-after"), "1");
    // Reads keep working; the process is up.
    auto r = Call("GET", Operation(kIssuerB, acked_operation), {}, kIssuerB);
    EXPECT_EQ(r.status, 200) << r.body;
    auto health = Fetch(port_, "GET", "/healthz");
    EXPECT_TRUE(health && health->status == 200);
    // Held full a while: the clients keep retrying, the engine's work waits.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    EXPECT_FALSE(daemon_->Wait(std::chrono::milliseconds(0))) << "c2pd ended with the disk full";
    retried_full = load.retried - retried_before;
    std::filesystem::remove(store_dir_ + "/filler");
  });
  std::cout << "disk full: filler " << filler / 1024 << " KiB, " << retried_full
            << " calls refused (503) while full\n";
  const auto check = CheckHistory("disk full", load, options);
  EXPECT_GT(check.figures.acknowledged, 60U);
  EXPECT_EQ(IntegrityCheck(), "ok");
  // The failure is in the log, without card or personal data: once when the writes start
  // failing, once when they commit again.
  const std::string log = ReadFile(dir_ + "/c2pd.out");
  EXPECT_NE(log.find("database or disk is full"), std::string::npos);
  EXPECT_NE(log.find("\"store.writes_failing\""), std::string::npos);
  EXPECT_NE(log.find("\"store.writes_recovered\""), std::string::npos);
  ExpectLogClean(dir_ + "/c2pd.out");
  auto ready = Fetch(port_, "GET", "/readyz");
  EXPECT_TRUE(ready && ready->status == 200);
}

// --- PostgreSQL restarted --------------------------------------------------------------

class PostgresRestart : public OutageSuite {
 protected:
  static void SetUpTestSuite() {
    cluster_ = NamedTestDir("PostgresRestart-cluster");
    ASSERT_EQ(PgScript("start " + cluster_ + " auto"), 0) << "scripts/pg.sh start failed";
    // The fixture's database goes on this cluster (test_postgres.hpp reads C2P_PG_URL).
    ASSERT_EQ(setenv("C2P_PG_URL", ReadLine(cluster_ + "/url").c_str(), 1), 0);
    ASSERT_EQ(setenv("C2P_E2E_STORE", "postgresql", 1), 0);
    OutageSuite::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    OutageSuite::TearDownTestSuite();
    unsetenv("C2P_E2E_STORE");
    unsetenv("C2P_PG_URL");
    if (!cluster_.empty()) (void)PgScript("stop " + cluster_);
  }

  static int PgScript(const std::string& args) {
    const std::string command = "bash " + std::string(C2P_SOURCE_DIR) + "/scripts/pg.sh " + args;
    return std::system(command.c_str());  // NOLINT(cert-env33-c): the test's own script
  }
  static std::string ReadLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
  }

  static inline std::string cluster_;
};

TEST_F(PostgresRestart, ClientsSee503DuringTheGapAndTheServiceRecoversByItself) {
  auto options = Options();
  options.all_successful = true;
  Load load;
  int retried_before = 0;
  double gap_seconds = 0;
  RunLoad(load, kClients, [&] {
    retried_before = load.retried;
    const auto stopped = std::chrono::steady_clock::now();
    ASSERT_EQ(PgScript("stop-server " + cluster_ + " fast"), 0);
    // While it is down: a write answers 503 at once (no hang), /readyz says not ready.
    const auto asked = std::chrono::steady_clock::now();
    auto w = Call("PUT", Consumer(kIssuerB, "c-fetch-gap"), "{}", kIssuerB,
                  "Idempotency-Key: gap-1\r\n");
    EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(2));
    EXPECT_EQ(w.status, 503) << w.body;
    EXPECT_EQ(ErrorCodeOf(w), "UNAVAILABLE") << w.body;
    EXPECT_EQ(w.header("retry-after"), "1");
    EXPECT_TRUE(Eventually(
        [&] {
          auto r = Fetch(port_, "GET", "/readyz");
          return r && r->status == 503;
        },
        std::chrono::seconds(10), std::chrono::milliseconds(20)))
        << "/readyz did not report the store down";
    EXPECT_TRUE(Eventually([&] { return load.retried > retried_before; }, std::chrono::seconds(10),
                           std::chrono::milliseconds(20)))
        << "no client saw 503 with PostgreSQL down";
    std::this_thread::sleep_for(std::chrono::seconds(3));  // the outage itself
    ASSERT_EQ(PgScript("start-server " + cluster_), 0);
    gap_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped).count();
    // Back by itself: no restart of c2pd.
    EXPECT_TRUE(WaitReady(port_, std::chrono::seconds(20))) << "/readyz did not recover";
  });
  std::cout << "postgres restart: down " << gap_seconds << " s, " << load.retried - retried_before
            << " calls refused (503) or unanswered meanwhile\n";
  const auto check = CheckHistory("postgres restart", load, options);
  EXPECT_GT(check.figures.acknowledged, 60U);
  const std::string log = ReadFile(dir_ + "/c2pd.out");
  EXPECT_NE(log.find("\"store.writes_failing\""), std::string::npos);
  EXPECT_NE(log.find("\"store.writes_recovered\""), std::string::npos);
  ExpectLogClean(dir_ + "/c2pd.out");
}

}  // namespace
}  // namespace c2p::testing
