// quality.md R5: c2pd is killed with SIGKILL while a batch file is processed, then
// restarted (once, or several times along the file). The file resumes after its last committed
// chunk: every record is applied exactly once (one REGISTER per card, none skipped), the _OUT lists
// every record in order, and the auto-enrolments the records started (ISSUER0002 has
// auto_enrolment) each ended SUCCESSFUL once, were notified, and enrolled no card twice at a
// network.
//
// C2P_FAULT_BATCH_RECORDS sets the records (default 400, at 100 records/s);
// C2P_FAULT_BATCH_KILLS the kills, spread evenly over the file (default 1).

#include <signal.h>

#include "tests/e2e/batch_files.hpp"
#include "tests/faults/fault_fixture.hpp"

namespace c2p::testing {
namespace {

using namespace std::chrono_literals;

class BatchCrash : public FaultSuite {
 protected:
  static void SetUpTestSuite() {
    // Throttled so the kill lands mid-file; small chunks so a file spans many units of work.
    issuer_b_extra_ =
        "spool_dir = \"spool-b\"\nauto_enrolment = true\nbatch_records_per_second = 100\n";
    suite_extra_ = "[batch]\npoll_ms = 50\nsettle_ms = 200\nchunk_records = 4\nmax_file_mb = 1\n";
    FaultSuite::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    FaultSuite::TearDownTestSuite();
    suite_extra_.clear();
  }
  static std::filesystem::path Spool() { return std::filesystem::path(dir_) / "spool-b"; }
};

TEST_F(BatchCrash, AKilledDaemonResumesTheFileWithNothingAppliedTwiceOrSkipped) {
  const int records_count = EnvInt("C2P_FAULT_BATCH_RECORDS", 400);
  const int kills = std::max(1, EnvInt("C2P_FAULT_BATCH_KILLS", 1));
  std::cout << "R5: " << records_count << " records, " << kills << " kills\n";
  auto options = Options();
  options.all_successful = true;
  options.notified_in_order = true;
  Load load;
  json::array records;
  std::vector<faults::History::Id> sent;
  for (int i = 1; i <= records_count; ++i) {
    const std::string consumer = NextConsumer();
    ASSERT_FALSE(consumer.empty()) << "raise C2P_FAULT_CONSUMERS";
    const std::string card = "b-" + std::to_string(i);
    const bool visa = i % 2 == 0;
    records.push_back(
        batch_files::Record(i, consumer,
                            {batch_files::CardEntry(card, visa ? "VISA_CLASSIC" : "MC_STANDARD",
                                                    Jwe(TestPan(visa ? "4" : "51")))}));
    sent.push_back(load.history.Sent(kIssuerB, card, "REGISTER"));
  }
  const std::string name = "KILL1-1-" + std::to_string(NowSeconds()) + ".json";
  batch_files::Drop(Spool(), name,
                    batch_files::File(batch_files::Header("KILL1", "1", kIssuerB), records,
                                      dir_ + "/b.jwk", "b-key"));
  const std::string processed =
      "SELECT processed FROM batch_files WHERE batch_id = 'KILL1' AND seq_number = '1'";
  // Kill k of `kills` lands once k/(kills+1) of the file is processed.
  std::string killed_at;
  for (int k = 1; k <= kills; ++k) {
    const std::int64_t mark = std::int64_t{records_count} * k / (kills + 1);
    ASSERT_TRUE(Eventually([&] { return QueryInt(processed) >= mark; }, 60s));
    daemon_->Signal(SIGKILL);
    ASSERT_TRUE(daemon_->Wait(10s));
    const std::int64_t at_kill = QueryInt(processed);
    EXPECT_LT(at_kill, records_count) << "the kill came too late to test a resume";
    killed_at += (killed_at.empty() ? "" : ", ") + std::to_string(at_kill);
    StartDaemon({"pan-v1.jwk"});
  }
  std::cout << "R5: killed after " << killed_at << " records\n";

  const json::object out = batch_files::AwaitOut(Spool(), name, 120s);
  ASSERT_TRUE(out.contains("recordsResults"));
  const auto& results = out.at("recordsResults").as_array();
  ASSERT_EQ(results.size(), static_cast<std::size_t>(records_count));
  for (int i = 0; i < records_count; ++i) {
    const auto& r = results[static_cast<std::size_t>(i)].as_object();
    EXPECT_EQ(r.at("rowId"), i + 1);
    const auto& result = r.at("consumerCardRegistrationResult").as_object();
    if (result.at("consumerStatus") == "OK") {
      load.history.Acknowledged(sent[static_cast<std::size_t>(i)], 200, "");
    } else {
      load.history.Refused(sent[static_cast<std::size_t>(i)], 200,
                           std::string(result.at("consumerError").as_string()));
      ADD_FAILURE() << "record " << i + 1 << " refused";
    }
  }
  // One auto-enrolment per card (the checker bounds only what clients asked for).
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE operation = "
                     "'CLICK_TO_PAY_ENROLMENT' AND card_id LIKE 'b-%'"),
            records_count);
  ExpectHistoryHolds("R5 (killed after " + killed_at + " records)", load, options);
  // The _OUT is committed before the row turns DONE and its results are deleted.
  EXPECT_TRUE(Eventually([] { return QueryInt("SELECT COUNT(*) FROM batch_results") == 0; }, 30s));
}

}  // namespace
}  // namespace c2p::testing
