// S4 (guide/quality.md) end to end: a full flow with known card and personal data, then a
// scan of everything c2p produced for any of it. Real c2pd and c2psim; issuer A keeps
// personal data ("stored"), issuer B fetches it from c2psim's stand-in issuer and is
// notified there.
//
// The flow: consumers with personal information, cards on both networks (cardholder names
// in the JWEs), enrolment, card and consumer updates, suspend/resume, card and consumer
// opt-outs, one batch file with personal information, notifications delivered.
// Scanned: every c2pd and c2psim log line, the store's raw files (SQLite db, WAL and shm,
// while running and after the stop), every response c2pd gave, every notification body
// the stand-in issuer received, c2pd's /metrics, and the batch outboxes; for each PAN, any
// Luhn-valid 12–19 digit run (first digit 2–6, not a decimal's fraction nor inside a hex digest),
// each email, phone number, name, address line and date of birth. Zero hits. The flow never calls
// the routes whose contract is to return personal data to its issuer (GET consumer, profiles). A
// control proves the scanner finds planted values, in memory and in a planted file.

#include <algorithm>
#include <filesystem>

#include "tests/security/security_fixture.hpp"

namespace c2p::testing {
namespace {

namespace fs = std::filesystem;

struct Hit {
  std::string where;
  std::string what;
};

bool LuhnValid(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Every needle (case-insensitive) and every card-like Luhn-valid digit run in `content`.
std::vector<Hit> Scan(const std::string& where, std::string_view content,
                      const std::vector<std::string>& needles) {
  std::vector<Hit> hits;
  const std::string lower = Lower(content);
  for (const auto& needle : needles) {
    if (lower.find(Lower(needle)) != std::string::npos) hits.push_back({where, needle});
  }
  for (std::size_t i = 0; i < content.size();) {
    if (std::isdigit(static_cast<unsigned char>(content[i])) == 0) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < content.size() && std::isdigit(static_cast<unsigned char>(content[end])) != 0) {
      ++end;
    }
    const std::string_view run = content.substr(i, end - i);
    // A card number: 12..19 digits, a network's first digit, not a decimal's fraction, not
    // the build's abbreviated commit in c2pd's version ("(commit 583662080675)": twelve hex
    // digits that were all decimal once, and Luhn-valid by chance).
    const bool fraction = i > 0 && content[i - 1] == '.';
    constexpr std::string_view kCommit = "commit ";
    const bool commit =
        i >= kCommit.size() && content.substr(i - kCommit.size(), kCommit.size()) == kCommit;
    // Nor a stretch of a hex digest (a pan index: 64 hex characters of HMAC), where twelve
    // decimal digits in a row turn up by chance in about one digest in twenty. A digest's
    // hex word is 32 to 64 characters, a few more where a neighbouring value in a raw
    // page ends or starts with a-f; a card number glued to a whole digest makes a longer
    // word and is still reported.
    const auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    std::size_t word_begin = i;
    while (word_begin > 0 && is_hex(content[word_begin - 1])) --word_begin;
    std::size_t word_end = end;
    while (word_end < content.size() && is_hex(content[word_end])) ++word_end;
    const std::size_t word = word_end - word_begin;
    const bool digest = word >= 32 && word <= 72 && (word_begin < i || word_end > end);
    if (run.size() >= 12 && run.size() <= 19 && run[0] >= '2' && run[0] <= '6' && !fraction &&
        !commit && !digest && LuhnValid(run)) {
      hits.push_back({where, "Luhn-valid run " + std::string(run)});
    }
    i = end;
  }
  return hits;
}

class LeakScan : public SecurityE2e {
 protected:
  static void SetUpTestSuite() {
    notify_issuer_b_ = true;
    notifications_config_ =
        "[notifications]\nretry_schedule_ms = [50, 100, 200]\njitter_percent = 0\n"
        "timeout_ms = 2000\n";
    SecurityE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    SecurityE2e::TearDownTestSuite();
    notify_issuer_b_ = false;
    notifications_config_.clear();
  }

  // Personal data of the flow: every value here is scanned for.
  static inline const std::vector<std::string> kPersonal = {
      "Zebulon",        "Ysolde",
      "Quixote",        "zebulon.quixote@leak.example",
      "698765432",      "1984-07-23",
      "Rue Zanzibarre", "zq.second@leak.example",
      "677777777",      "Quentin",
      "Zarathustra",    "batch.leak@leak.example",
      "644444444",      "Wilhelmina",
      "Xanthopoulos",   "wx@leak.example",
      "655555555",      "fetched@example.com",
      "7700900123",     "High St"};

  static json::object Info(const std::string& first, const std::string& last,
                           const std::string& email, const std::string& phone) {
    return {{"language", "en-US"},
            {"firstName", first},
            {"lastName", last},
            {"email", email},
            {"mobilePhoneNumber", json::object{{"countryCode", "33"}, {"phoneNumber", phone}}}};
  }
  static json::object Address(const std::string& line) {
    return {
        {"addressLine1", line}, {"city", "Paris"}, {"postalCode", "75011"}, {"countryCode", "FR"}};
  }

  static std::string V1(const std::string& issuer, const std::string& rest) {
    return "/banking/v1/issuers/" + issuer + rest;
  }

  // POSTs a Click to Pay write and waits for its operation to end SUCCESSFUL.
  static void Operate(const std::string& issuer, const std::string& path, const json::value& body) {
    auto r = Call("POST", path, json::serialize(body), issuer);
    ASSERT_TRUE(r.status == 202 || r.status == 200) << path << ": " << r.body;
    const std::string id(Body(r).at("operationId").as_string());
    EXPECT_EQ(Ended(id, issuer).at("status"), "SUCCESSFUL") << path;
  }

  static void RegisterNamedCard(const std::string& issuer, const std::string& consumer,
                                const std::string& card, const std::string& pan,
                                const std::string& product, const std::string& name) {
    auto r = Call("PUT", Card(issuer, card),
                  json::serialize(json::object{{"consumerId", consumer},
                                               {"cardProductId", product},
                                               {"encryptedData", Jwe(pan, "1230", name)}}),
                  issuer);
    ASSERT_EQ(r.status, 201) << r.body;
  }

  static std::int64_t Waiting() {
    auto r = Fetch(port_, "GET", "/metrics");
    if (!r) return -1;
    std::int64_t total = 0;
    for (const char* name : {"c2p_notifications_waiting{", "c2p_notifications_in_flight{"}) {
      for (auto at = r->body.find(name); at != std::string::npos; at = r->body.find(name, at + 1)) {
        const auto value = r->body.find("} ", at);
        total += std::stoll(r->body.substr(value + 2));
      }
    }
    return total;
  }

  // The raw bytes of the store's files and the outboxes, by path.
  static std::vector<std::pair<std::string, std::string>> StoreAndOutboxes() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* f : {"/c2p.db", "/c2p.db-wal", "/c2p.db-shm"}) {
      if (fs::exists(dir_ + f)) out.emplace_back(dir_ + f, ReadFile(dir_ + f));
    }
    for (const char* spool : {"/spool-a/outbox", "/spool-b/outbox"}) {
      if (!fs::exists(dir_ + spool)) continue;
      for (const auto& e : fs::recursive_directory_iterator(dir_ + spool)) {
        if (e.is_regular_file()) out.emplace_back(e.path().string(), ReadFile(e.path().string()));
      }
    }
    return out;
  }
};

TEST_F(LeakScan, TheScannerFindsPlantedValues) {
  const std::vector<std::string> needles = {"4111111111111111", "someone@leak.example", "Zebulon"};
  auto hits = Scan("planted", "x4111111111111111y someone@LEAK.example ZEBULON", needles);
  EXPECT_EQ(hits.size(), 4U);  // three needles and the PAN as a Luhn-valid run
  // A card number nobody listed, inside binary-looking bytes.
  const std::string binary = std::string("\x01\x02", 2) + "5555555555554444" + std::string(1, '\0');
  hits = Scan("planted", binary, {});
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].what, "Luhn-valid run 5555555555554444");
  // Not card-like: an epoch in milliseconds, a decimal's fraction, a Luhn-invalid run.
  EXPECT_TRUE(Scan("planted", "1765000000000 0.4111111111111111 4111111111111112", {}).empty());
  // Nor the build's commit in the version line, though a card number elsewhere on it is.
  EXPECT_TRUE(Scan("planted", R"j("version":"0.1.0 (commit 583662080675)")j", {}).empty());
  EXPECT_EQ(Scan("planted", "(commit 583662080675) 583662080675", {}).size(), 1U);
  // Nor a decimal stretch of a hex digest, though the same run in a short hex word is.
  EXPECT_TRUE(Scan("planted", "c1d0e404060660291baa9f0c3e2d1b0a9f8e7d6c5", {}).empty());
  EXPECT_EQ(Scan("planted", "cafe404060660291", {}).size(), 1U);
  EXPECT_EQ(Scan("planted", "4111111111111111" + std::string(64, 'c'), {}).size(), 1U);
}

TEST_F(LeakScan, AFullFlowLeavesNoCardOrPersonalDataAnywhere) {
  // Issuer A: personal data stored, cards on both networks, every kind of write.
  const std::string a_visa = TestPan("4");
  const std::string a_mc = TestPan("51");
  json::object a_info = Info("Zebulon", "Quixote", "zebulon.quixote@leak.example", "698765432");
  a_info["middleName"] = "Ysolde";
  a_info["dateOfBirth"] = "1984-07-23";
  a_info["billingAddress"] = Address("17 Rue Zanzibarre");
  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "leak-a"),
                 json::serialize(json::object{{"personalInformation", a_info}}))
                .status,
            201);
  RegisterNamedCard(kIssuerA, "leak-a", "leak-a-visa", a_visa, "VISA_CLASSIC", "ZEBULON QUIXOTE");
  RegisterNamedCard(kIssuerA, "leak-a", "leak-a-mc", a_mc, "MC_STANDARD", "ZEBULON QUIXOTE");
  for (const char* card : {"leak-a-visa", "leak-a-mc"}) {
    Operate(kIssuerA,
            V1(kIssuerA, std::string("/cards/") + card + "/operations:clickToPayEnrolment"),
            json::object{});
  }
  Operate(kIssuerA, V1(kIssuerA, "/cards/leak-a-visa/operations:clickToPayUpdate"),
          json::object{{"name", "ZEBULON Y QUIXOTE"},
                       {"billingAddress", Address("18 Rue Zanzibarre")}});
  Operate(kIssuerA, V1(kIssuerA, "/consumers/leak-a/operations:clickToPayUpdate"),
          json::object{
              {"consumerInfo", Info("Zebulon", "Quixote", "zq.second@leak.example", "677777777")}});
  for (const char* verb : {"suspend", "resume"}) {
    auto r = Call("POST", Card(kIssuerA, "leak-a-mc") + "/operations:" + verb, "{}");
    ASSERT_TRUE(r.status == 200 || r.status == 202) << r.body;
    EXPECT_EQ(Ended(std::string(Body(r).at("operationId").as_string())).at("status"), "SUCCESSFUL");
  }
  Operate(kIssuerA, V1(kIssuerA, "/cards/leak-a-visa/operations:clickToPayOptOut"), json::object{});
  Operate(kIssuerA, V1(kIssuerA, "/consumers/leak-a/operations:clickToPayOptOut"), json::object{});
  // A batch file with personal information, and its result.
  json::object batch_info = Info("Quentin", "Zarathustra", "batch.leak@leak.example", "644444444");
  batch_info["billingAddress"] = Address("19 Rue Zanzibarre");
  auto upload = Call("POST", Batches(kIssuerA),
                     BatchFile("LEAK1", kIssuerA, kIssuerA, "leak-batch", "leak-batch-card",
                               TestPan("4"), batch_info));
  ASSERT_EQ(upload.status, 202) << upload.body;
  ASSERT_TRUE(Eventually(
      [] { return Body(Call("GET", Batches(kIssuerA) + "/LEAK1/1")).at("status") == "DONE"; },
      std::chrono::seconds(60)));
  EXPECT_EQ(Call("GET", Batches(kIssuerA) + "/LEAK1/1/result").status, 200);

  // Issuer B: personal data fetched from the stand-in issuer, notified there.
  ASSERT_EQ(Call("PUT", Consumer(kIssuerB, "c-fetch"), "{}", kIssuerB).status, 201);
  RegisterNamedCard(kIssuerB, "c-fetch", "leak-b-visa", TestPan("4"), "VISA_CLASSIC",
                    "WILHELMINA X");
  RegisterNamedCard(kIssuerB, "c-fetch", "leak-b-mc", TestPan("51"), "MC_STANDARD", "WILHELMINA X");
  for (const char* card : {"leak-b-visa", "leak-b-mc"}) {
    Operate(kIssuerB,
            V1(kIssuerB, std::string("/cards/") + card + "/operations:clickToPayEnrolment"),
            json::object{});
  }
  Operate(kIssuerB, V1(kIssuerB, "/cards/leak-b-visa/operations:clickToPayUpdate"),
          json::object{{"name", "WILHELMINA XANTHOPOULOS"}});
  Operate(kIssuerB, V1(kIssuerB, "/consumers/c-fetch/operations:clickToPayUpdate"),
          json::object{{"consumerInfo",
                        Info("Wilhelmina", "Xanthopoulos", "wx@leak.example", "655555555")}});
  Operate(kIssuerB, V1(kIssuerB, "/cards/leak-b-mc/operations:clickToPayOptOut"), json::object{});
  Operate(kIssuerB, V1(kIssuerB, "/consumers/c-fetch/operations:clickToPayOptOut"), json::object{});
  ASSERT_TRUE(Eventually([] { return Waiting() == 0; }, std::chrono::seconds(30))) << Waiting();
  auto received = Fetch(sim_->sim_port, "GET", "/sim/v1/issuer/notifications");
  ASSERT_TRUE(received && received->status == 200);
  const auto notifications = json::parse(received->body).at("notifications").as_array();
  EXPECT_GE(notifications.size(), 6U);

  // What to look for.
  std::vector<std::string> needles = kPersonal;
  {
    std::lock_guard lock(responses_mu_);
    needles.insert(needles.end(), pans_.begin(), pans_.end());
    EXPECT_GE(pans_.size(), 5U);
  }
  std::vector<Hit> hits;
  auto scan = [&](const std::string& where, std::string_view content) {
    auto found = Scan(where, content, needles);
    hits.insert(hits.end(), found.begin(), found.end());
  };
  // While c2pd runs: the store with its WAL, the metrics, the notifications.
  std::size_t store_bytes = 0;
  for (const auto& [path, content] : StoreAndOutboxes()) {
    store_bytes += content.size();
    scan(path, content);
  }
  EXPECT_GT(store_bytes, 10'000U);
  auto metrics = Fetch(port_, "GET", "/metrics");
  ASSERT_TRUE(metrics);
  scan("/metrics", metrics->body);
  EXPECT_EQ(metrics->body.find("status=\"500\""), std::string::npos);
  for (const auto& n : notifications)
    scan("notification " + json::serialize(n.at("path")), json::serialize(n));
  // A planted file in the same walk: the control that the walk reads what it lists.
  std::ofstream(dir_ + "/spool-a/outbox/planted.json") << "{\"x\":\"" << a_visa << "\"}";
  std::size_t planted = 0;
  for (const auto& [path, content] : StoreAndOutboxes()) {
    if (path.ends_with("planted.json")) planted = Scan(path, content, needles).size();
  }
  EXPECT_EQ(planted, 2U);  // the PAN as a needle and as a Luhn-valid run
  fs::remove(dir_ + "/spool-a/outbox/planted.json");
  // After the stop: the checkpointed store and every log line.
  daemon_->Stop();
  daemon_.reset();
  for (const auto& [path, content] : StoreAndOutboxes()) scan(path + " (stopped)", content);
  const std::string c2pd_log = ReadFile(dir_ + "/c2pd.out");
  const std::string sim_log = ReadFile(sim_->dir + "/c2psim.log");
  EXPECT_NE(c2pd_log.find("engine.operation_ended"), std::string::npos);
  EXPECT_GT(std::count(c2pd_log.begin(), c2pd_log.end(), '\n'), 100);
  scan("c2pd log", c2pd_log);
  scan("c2psim log", sim_log);
  const auto responses = Responses();
  EXPECT_GT(responses.size(), 50U);
  for (const auto& r : responses) scan("a response", r);

  for (const auto& h : hits) ADD_FAILURE() << h.what << " found in " << h.where;
  EXPECT_TRUE(hits.empty());
}

}  // namespace
}  // namespace c2p::testing
