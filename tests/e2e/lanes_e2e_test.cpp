// The engine's lanes end to end (spec/batch.md §4, quality.md P8, docs/engine.md): a batch
// file's 200 auto-enrolments flood the bulk lane against a slowed-down Visa directory, and
// an enrolment started through the API meanwhile ends while most of the campaign is still
// waiting. Progress is asserted, not wall-clock time: with 4 slots and claims oldest
// first, the API's enrolment would only run once the backlog had drained.

#include "jose/jcs.hpp"
#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kBulkRecords = 200;

std::string Str(const json::object& o, const char* key) {
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

class Lanes : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    issuer_a_extra_ = "auto_enrolment = true\nspool_dir = \"spool-a\"\n";
    // 4 slots, at most 2 for the bulk lane.
    engine_extra_ = "max_in_flight = 4\nbulk_max_in_flight = 2\n";
    suite_extra_ = "[batch]\npoll_ms = 50\nsettle_ms = 200\n";
    EnrolE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    EnrolE2e::TearDownTestSuite();
    issuer_a_extra_.clear();
    engine_extra_.clear();
    suite_extra_.clear();
  }

  static fs::path Spool() { return fs::path(dir_) / "spool-a"; }

  // A signed registration file of ISSUER0001 (spec/batch.md §2): one consumer and one Visa
  // card per record.
  static std::string File(const std::string& batch, int records) {
    json::array list;
    for (int i = 0; i < records; ++i) {
      const std::string n = std::to_string(i);
      auto info = json::parse(kInfo).as_object().at("personalInformation");
      info.as_object()["email"] = "bulk" + n + "@example.com";
      json::object card{{"cardId", "bulk-card-" + n},
                        {"cardProductId", "VISA_CLASSIC"},
                        {"encryptedData", Jwe(TestPan("4"))}};
      json::object request{{"consumerId", "bulk-consumer-" + n},
                           {"cards", json::array{std::move(card)}},
                           {"personalInformation", std::move(info)}};
      list.push_back(json::object{{"rowId", i + 1},
                                  {"consumerAndCardRegistrationRequest", std::move(request)}});
    }
    json::object header{{"batchId", batch},
                        {"seqNumber", "1"},
                        {"issuerId", kIssuerA},
                        {"operation", "CONSUMER_CARD_REGISTRATION"}};
    json::object payload{{"header", std::move(header)}, {"records", std::move(list)}};
    auto canonical = jose::Canonicalize(payload);
    EXPECT_TRUE(canonical);
    jose::JwsSignOptions options;
    options.kid = "a-key";
    options.detached = true;
    auto key = jose::EcKey::FromJwk(*jose::ReadJwkFile(dir_ + "/a.jwk"));
    payload["signature"] = jose::SignEs256(*canonical, *key, options);
    return json::serialize(payload);
  }

  static std::int64_t BulkJobsLeft() {
    return QueryInt("SELECT COUNT(*) FROM jobs WHERE lane = 'bulk'");
  }
};

TEST_F(Lanes, AnApiEnrolmentEndsWhileABatchCampaignIsStillQueued) {
  // Every Visa call answers after 100 ms: a bulk enrolment (enrollData, then at least one
  // requestStatus) holds its slot for 200 ms or more, so 2 bulk slots drain at most 10
  // jobs a second.
  auto faults =
      Fetch(sim_->sim_port, "POST", "/sim/v1/faults",
            R"({"network":"visa","errorRate":0,"timeoutRate":0,"latencyMs":100,"seed":1})",
            "Content-Type: application/json\r\n");
  ASSERT_TRUE(faults && faults->status / 100 == 2) << (faults ? faults->body : "no answer");

  const std::string name = "LANES-1-" + std::to_string(NowSeconds()) + ".json";
  {
    const fs::path part = Spool() / "inbox" / (name + ".part");
    std::ofstream(part, std::ios::binary) << File("LANES", kBulkRecords);
    fs::rename(part, Spool() / "inbox" / name);
  }
  const fs::path out = Spool() / "outbox" / (name.substr(0, name.size() - 5) + "_OUT.json");
  ASSERT_TRUE(Eventually([&] { return fs::exists(out); }, std::chrono::seconds(120)))
      << ReadFile(dir_ + "/c2pd.out");
  const std::int64_t queued = BulkJobsLeft();
  ASSERT_GT(queued, kBulkRecords / 2) << "the campaign drained before the test could start";

  // The API's enrolment (a card PUT's auto-enrolment, interactive lane) behind that queue.
  auto consumer = Call("PUT", Consumer(kIssuerA, "api-consumer"), kInfo);
  ASSERT_EQ(consumer.status, 201) << consumer.body;
  auto card = Call("PUT", Card(kIssuerA, "api-card"),
                   CardBody("api-consumer", TestPan("4"), "VISA_CLASSIC"));
  ASSERT_EQ(card.status, 201) << card.body;
  const std::string op = Str(Body(card).at("clickToPay").as_object(), "operationId");
  ASSERT_FALSE(op.empty()) << card.body;
  auto end = Ended(op);
  EXPECT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  EXPECT_EQ(Str(end, "requestorType"), "D1");

  // Most of the campaign is still waiting: the API's job did not queue behind it.
  const std::int64_t left = BulkJobsLeft();
  EXPECT_GT(left, kBulkRecords / 4)
      << "bulk jobs left when the API's enrolment ended: " << left << " of " << queued;
  // And the bulk lane still progresses, within its share, to the end.
  EXPECT_TRUE(Eventually([&] { return BulkJobsLeft() < left; }, std::chrono::seconds(30)));
  auto cleared = Fetch(sim_->sim_port, "DELETE", "/sim/v1/faults");
  EXPECT_TRUE(cleared && cleared->status / 100 == 2);
}

}  // namespace
}  // namespace c2p::testing
