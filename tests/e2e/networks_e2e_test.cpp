// c2p's network connectors (src/networks) against a real c2psim process: every directory
// call on both networks, and the error paths the engine has to tell apart.

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "core/luhn.hpp"
#include "http/client.hpp"
#include "networks/mastercard_connector.hpp"
#include "networks/visa_connector.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/sim_harness.hpp"

namespace c2p::testing {
namespace {

namespace asio = boost::asio;
using networks::CallResult;
using networks::FailureReason;

// A Luhn-valid 16-digit PAN starting with `prefix` and ending with `suffix` (test cards).
std::string Pan(const std::string& prefix, const std::string& suffix) {
  for (int filler = 0; filler < 100; ++filler) {
    std::string pan = prefix;
    const std::string middle = std::to_string(filler);
    while (pan.size() + middle.size() + suffix.size() < 16) pan += '0';
    pan += middle + suffix;
    if (pan.size() == 16 && core::PassesLuhn(pan)) return pan;
  }
  ADD_FAILURE() << "no Luhn-valid PAN";
  return {};
}

domain::CardData Card(const std::string& pan) {
  domain::CardData c;
  c.pan = core::SecretBytes(std::string_view(pan));
  c.exp = domain::CardExpiry{2031, 12};
  c.name = core::SecretBytes(std::string_view("ADA LOVELACE"));
  return c;
}

domain::BillingAddress Address() {
  domain::BillingAddress a;
  a.address_line1 = "1 rue de Rivoli";
  a.city = "Paris";
  a.postal_code = "75001";
  a.country_code = "FR";
  return a;
}

networks::ConsumerRef Consumer(const std::string& id) {
  networks::ConsumerRef c;
  c.external_consumer_id = id;
  c.info.language = "en-US";
  c.info.first_name = "Ada";
  c.info.last_name = "Lovelace";
  c.info.email = id + "@example.com";
  c.info.mobile_phone_number = domain::MobilePhone{"33", "612345678"};
  c.billing = Address();
  return c;
}

class NetworksE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        h_.Setup("networks-e2e-" +
                 std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())));
    client_ = std::make_unique<http::Client>(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    visa_.reset();
    mc_.reset();
    // The client is destroyed on its own executor.
    asio::post(io_, [this] { client_.reset(); });
    work_.reset();
    thread_.join();
    h_.Stop();
  }

  void Start(const std::string& extra = "") {
    ASSERT_TRUE(h_.StartSim(extra));
    const std::string url = "http://127.0.0.1:" + std::to_string(h_.sim_port);
    visa_ = std::make_unique<networks::VisaConnector>(*client_,
                                                      Config(url, kSimVisaApiKey, h_.visa_key));
    mc_ = std::make_unique<networks::MastercardConnector>(*client_,
                                                          Config(url, kSimMcApiKey, h_.mc_key));
  }

  static networks::ConnectorConfig Config(const std::string& url, const char* api_key,
                                          const jose::RsaKey& key) {
    networks::ConnectorConfig config;
    config.url = url;
    config.api_key = api_key;
    auto pub = jose::RsaKey::FromJwk(key.ToPublicJwk());
    EXPECT_TRUE(pub);
    config.encryption_key = std::make_shared<const jose::RsaKey>(std::move(*pub));
    config.timeout = std::chrono::seconds(5);
    config.enrol_timeout = std::chrono::seconds(20);
    return config;
  }

  template <typename T>
  T Run(asio::awaitable<T> call) {
    auto future = asio::co_spawn(io_, std::move(call), asio::use_future);
    EXPECT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return future.get();
  }

  // Polls an accepted Visa-like write until it is no longer pending (with a deadline).
  CallResult Settle(const CallResult& accepted, const std::string& card_id = {}) {
    EXPECT_TRUE(accepted) << (accepted ? "" : accepted.error().message);
    if (!accepted) return accepted;
    EXPECT_TRUE(accepted->pending);
    CallResult last = accepted;
    EXPECT_TRUE(Eventually([&] {
      last = Run(visa_->PollRequest(accepted->trace_id, card_id));
      return !last || !last->pending;
    }));
    return last;
  }

  void SetFault(const std::string& network, int status) {
    auto r = Fetch(
        h_.sim_port, "POST", "/sim/v1/faults",
        R"({"network":")" + network + R"(","errorRate":1,"status":)" + std::to_string(status) + "}",
        "Content-Type: application/json\r\n");
    ASSERT_TRUE(r);
    ASSERT_LT(r->status, 300) << r->body;
  }

  SimHarness h_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<http::Client> client_;
  std::thread thread_;
  std::unique_ptr<networks::VisaConnector> visa_;
  std::unique_ptr<networks::MastercardConnector> mc_;
};

TEST_F(NetworksE2e, VisaEveryCall) {
  Start();
  const auto consumer = Consumer("vcons-1");
  const auto pan1 = Card("4111111111111111");
  const networks::CardRef card1{"vcard-1", &pan1, Address()};

  auto accepted = Run(visa_->EnrolConsumer(consumer, card1));
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_TRUE(accepted->consumer_created);
  auto done = Settle(accepted, "vcard-1");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_FALSE(done->digital_card_id.empty());

  auto profile = Run(visa_->GetProfile("vcons-1"));
  ASSERT_TRUE(profile) << profile.error().message;
  ASSERT_NE(profile->FindCard("vcard-1"), nullptr);
  EXPECT_EQ(profile->FindCard("vcard-1")->digital_card_id, done->digital_card_id);
  EXPECT_EQ(profile->FindCard("vcard-1")->last4, "1111");
  EXPECT_EQ(profile->consumer.at("countryCode").as_string(), "FRA");
  EXPECT_EQ(profile->consumer.at("locale").as_string(), "en_US");

  auto updated_consumer = Consumer("vcons-1");
  updated_consumer.info.first_name = "Augusta";
  ASSERT_TRUE(Settle(Run(visa_->UpdateConsumer(updated_consumer))));

  networks::CardUpdate suspend{"vcard-1", Address(), std::string("A LOVELACE"),
                               networks::CardStatus::kSuspended};
  ASSERT_TRUE(Settle(Run(visa_->UpdateCard("vcons-1", suspend))));
  profile = Run(visa_->GetProfile("vcons-1"));
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->FindCard("vcard-1")->status, "SUSPENDED");
  EXPECT_EQ(profile->consumer.at("firstName").as_string(), "Augusta");
  networks::CardUpdate resume{"vcard-1", std::nullopt, std::nullopt, networks::CardStatus::kActive};
  ASSERT_TRUE(Settle(Run(visa_->UpdateCard("vcons-1", resume))));
  EXPECT_TRUE(Eventually([&] { return h_.fake.CountEvents("RESUMED") == 1; }));

  const auto pan2 = Card("4012888888881881");
  auto added = Settle(Run(visa_->AddCard(consumer, {"vcard-2", &pan2, Address()})), "vcard-2");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_FALSE(added->digital_card_id.empty());

  ASSERT_TRUE(Settle(Run(visa_->DeleteCard("vcons-1", "vcard-2"))));
  profile = Run(visa_->GetProfile("vcons-1"));
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->FindCard("vcard-2"), nullptr);

  ASSERT_TRUE(Settle(Run(visa_->DeleteConsumer("vcons-1"))));
  profile = Run(visa_->GetProfile("vcons-1"));
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().reason, FailureReason::kNotEnrolled);
  EXPECT_FALSE(profile.error().retryable);
}

TEST_F(NetworksE2e, VisaErrorPaths) {
  Start();
  const auto good = Card("4111111111111111");
  ASSERT_TRUE(
      Settle(Run(visa_->EnrolConsumer(Consumer("vc-1"), {"vk-1", &good, Address()})), "vk-1"));

  // The same card again, under another consumer: refused, never enrolled twice.
  auto dup = Run(visa_->EnrolConsumer(Consumer("vc-2"), {"vk-1", &good, Address()}));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().reason, FailureReason::kCardAlreadyExists);
  EXPECT_EQ(dup.error().network_code, "VIDC-2004");
  EXPECT_FALSE(dup.error().retryable);

  // The consumer again with a new card.
  const auto other = Card("4012888888881881");
  auto again = Run(visa_->EnrolConsumer(Consumer("vc-1"), {"vk-2", &other, Address()}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, FailureReason::kAlreadyEnrolled);

  // A card for a consumer the directory does not know.
  auto unknown = Run(visa_->AddCard(Consumer("vc-none"), {"vk-3", &other, Address()}));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().reason, FailureReason::kNotEnrolled);
  EXPECT_EQ(unknown.error().failure_code, "NETWORK_REJECTED");

  // Declined by the token service: the consumer stays (partial outcome).
  const auto red = Card(Pan("4", "0002"));
  auto declined =
      Settle(Run(visa_->EnrolConsumer(Consumer("vc-red"), {"vk-red", &red, Address()})), "vk-red");
  ASSERT_FALSE(declined);
  EXPECT_EQ(declined.error().reason, FailureReason::kTokenizationDeclined);
  EXPECT_EQ(declined.error().failure_code, "TOKENIZATION_DECLINED");

  // Not eligible.
  const auto ineligible = Card(Pan("4", "0010"));
  auto refused = Run(visa_->EnrolConsumer(Consumer("vc-ne"), {"vk-ne", &ineligible, Address()}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, FailureReason::kCardNotEligible);
  EXPECT_EQ(refused.error().failure_code, "CARD_NOT_ELIGIBLE");

  // Incomplete data is refused before anything is sent, naming fields only.
  auto incomplete = Consumer("vc-inc");
  incomplete.info.email.reset();
  auto local = Run(visa_->EnrolConsumer(incomplete, {"vk-inc", &other, Address()}));
  ASSERT_FALSE(local);
  EXPECT_EQ(local.error().reason, FailureReason::kDataIncomplete);
  EXPECT_EQ(local.error().fields, std::vector<std::string>{"email"});

  // An injected 503 is retryable.
  SetFault("visa", 503);
  auto unavailable = Run(visa_->GetProfile("vc-1"));
  ASSERT_FALSE(unavailable);
  EXPECT_EQ(unavailable.error().reason, FailureReason::kUnavailable);
  EXPECT_TRUE(unavailable.error().retryable);
  EXPECT_EQ(unavailable.error().failure_code, "NETWORK_UNAVAILABLE");

  auto r = Fetch(h_.sim_port, "GET", "/sim/v1/stats");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find(R"("duplicateEnrolments":1)"), std::string::npos) << r->body;
}

TEST_F(NetworksE2e, MastercardEveryCall) {
  Start();
  const auto pan1 = Card("5555555555554444");
  auto enrolled = Run(mc_->EnrolConsumer(Consumer("mcons-1"), {"mcard-1", &pan1, Address()}));
  ASSERT_TRUE(enrolled) << enrolled.error().message;
  EXPECT_FALSE(enrolled->pending);
  EXPECT_TRUE(enrolled->consumer_created);
  EXPECT_FALSE(enrolled->digital_card_id.empty());

  const auto pan2 = Card("5105105105105100");
  auto added = Run(mc_->AddCard(Consumer("mcons-1"), {"mcard-2", &pan2, Address()}));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_FALSE(added->consumer_created);

  auto profile = Run(mc_->GetProfile("mcons-1"));
  ASSERT_TRUE(profile) << profile.error().message;
  ASSERT_NE(profile->FindCard("mcard-1"), nullptr);
  EXPECT_EQ(profile->FindCard("mcard-1")->digital_card_id, enrolled->digital_card_id);
  EXPECT_EQ(profile->FindCard("mcard-2")->last4, "5100");
  EXPECT_EQ(profile->consumer.at("countryCode").as_string(), "FR");

  auto changed = Consumer("mcons-1");
  changed.info.last_name = "King";
  ASSERT_TRUE(Run(mc_->UpdateConsumer(changed)));
  networks::CardUpdate suspend{"mcard-1", Address(), std::nullopt,
                               networks::CardStatus::kSuspended};
  ASSERT_TRUE(Run(mc_->UpdateCard("mcons-1", suspend)));
  profile = Run(mc_->GetProfile("mcons-1"));
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->FindCard("mcard-1")->status, "SUSPENDED");
  EXPECT_EQ(profile->consumer.at("lastName").as_string(), "King");
  // Resume sends the status alone; an update with neither address nor status is refused
  // before anything is sent (Mastercard ignores names).
  networks::CardUpdate resume{"mcard-1", std::nullopt, std::nullopt, networks::CardStatus::kActive};
  ASSERT_TRUE(Run(mc_->UpdateCard("mcons-1", resume)));
  profile = Run(mc_->GetProfile("mcons-1"));
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->FindCard("mcard-1")->status, "ACTIVE");
  networks::CardUpdate name_only{"mcard-1", std::nullopt, std::string("A KING"), std::nullopt};
  auto refused = Run(mc_->UpdateCard("mcons-1", name_only));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, FailureReason::kDataIncomplete);

  ASSERT_TRUE(Run(mc_->DeleteCard("mcons-1", "mcard-2")));
  auto gone = Run(mc_->DeleteCard("mcons-1", "mcard-2"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().reason, FailureReason::kNotEnrolled);
  ASSERT_TRUE(Run(mc_->DeleteConsumer("mcons-1")));
  profile = Run(mc_->GetProfile("mcons-1"));
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().reason, FailureReason::kNotEnrolled);
  EXPECT_FALSE(Run(mc_->PollRequest("x", "y")));
}

TEST_F(NetworksE2e, MastercardErrorPaths) {
  Start();
  const auto good = Card("5555555555554444");
  ASSERT_TRUE(Run(mc_->EnrolConsumer(Consumer("mc-1"), {"mk-1", &good, Address()})));

  auto dup = Run(mc_->EnrolConsumer(Consumer("mc-1"), {"mk-1", &good, Address()}));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().reason, FailureReason::kCardAlreadyExists);
  EXPECT_EQ(dup.error().network_code, "ALREADY_EXISTS");

  const auto red = Card(Pan("55", "0002"));
  auto declined = Run(mc_->EnrolConsumer(Consumer("mc-red"), {"mk-red", &red, Address()}));
  ASSERT_FALSE(declined);
  EXPECT_EQ(declined.error().reason, FailureReason::kTokenizationDeclined);
  EXPECT_TRUE(declined.error().consumer_created);

  const auto ineligible = Card(Pan("55", "0010"));
  auto refused = Run(mc_->EnrolConsumer(Consumer("mc-ne"), {"mk-ne", &ineligible, Address()}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, FailureReason::kCardNotEligible);
  EXPECT_FALSE(refused.error().consumer_created);

  // An injected 503 is retryable.
  SetFault("mastercard", 503);
  auto unavailable = Run(mc_->GetProfile("mc-1"));
  ASSERT_FALSE(unavailable);
  EXPECT_EQ(unavailable.error().reason, FailureReason::kUnavailable);
  EXPECT_TRUE(unavailable.error().retryable);
  EXPECT_EQ(unavailable.error().network_code, "SERVICE_UNAVAILABLE");
}

TEST_F(NetworksE2e, MastercardRateLimitIsRetryableWithRetryAfter) {
  h_.mc_extra = "rate_limit = 2\n";
  Start();
  std::optional<networks::Failure> limited;
  for (int i = 0; i < 20 && !limited; ++i) {
    // An unknown consumer: 404 until the bucket is empty, then 429.
    auto r = Run(mc_->GetProfile("mc-unknown"));
    ASSERT_FALSE(r);
    if (r.error().reason != FailureReason::kNotEnrolled) limited = r.error();
  }
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->reason, FailureReason::kRateLimited);
  EXPECT_TRUE(limited->retryable);
  ASSERT_TRUE(limited->retry_after);
  EXPECT_GE(limited->retry_after->count(), 1);
}

TEST_F(NetworksE2e, RetryableThenSucceeds) {
  h_.visa_extra = "token_latency_ms = 400\n";  // keeps the enrolment IN_PROGRESS a while
  Start();
  // Test card 0028: 503 twice, then accepted, on both networks.
  const auto flaky_visa = Card(Pan("4", "0028"));
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = Run(visa_->EnrolConsumer(Consumer("vc-f"), {"vk-f", &flaky_visa, Address()}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, FailureReason::kUnavailable);
    EXPECT_TRUE(r.error().retryable);
  }
  auto accepted = Run(visa_->EnrolConsumer(Consumer("vc-f"), {"vk-f", &flaky_visa, Address()}));
  ASSERT_TRUE(accepted) << accepted.error().message;

  // While the enrolment is IN_PROGRESS, another write for the consumer is VIDC-3000.
  const auto other = Card("4012888888881881");
  auto busy = Run(visa_->AddCard(Consumer("vc-f"), {"vk-g", &other, Address()}));
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().reason, FailureReason::kInProgress);
  EXPECT_TRUE(busy.error().retryable);
  ASSERT_TRUE(Settle(accepted, "vk-f"));

  const auto flaky_mc = Card(Pan("55", "0028"));
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = Run(mc_->EnrolConsumer(Consumer("mc-f"), {"mk-f", &flaky_mc, Address()}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, FailureReason::kUnavailable);
    EXPECT_TRUE(r.error().retryable);
  }
  auto enrolled = Run(mc_->EnrolConsumer(Consumer("mc-f"), {"mk-f", &flaky_mc, Address()}));
  ASSERT_TRUE(enrolled) << enrolled.error().message;
}

TEST_F(NetworksE2e, TimeoutMayHaveBeenAppliedSoLookFirst) {
  Start();
  const std::string url = "http://127.0.0.1:" + std::to_string(h_.sim_port);
  auto config = Config(url, kSimMcApiKey, h_.mc_key);
  config.enrol_timeout = std::chrono::milliseconds(100);  // c2psim holds it 300 ms
  networks::MastercardConnector impatient(*client_, std::move(config));
  auto r = Fetch(h_.sim_port, "POST", "/sim/v1/faults",
                 R"({"network":"mastercard","timeoutRate":1,"seed":1})",
                 "Content-Type: application/json\r\n");
  ASSERT_TRUE(r && r->status < 300);
  const auto card = Card("5555555555554444");
  auto timed_out = Run(impatient.EnrolConsumer(Consumer("mc-t"), {"mk-t", &card, Address()}));
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().reason, FailureReason::kTimeout);
  EXPECT_TRUE(timed_out.error().retryable);
  EXPECT_TRUE(timed_out.error().maybe_applied);
  // The repeat waits at least the call's own timeout (docs/networks.md "Calls in doubt").
  EXPECT_EQ(timed_out.error().retry_after, std::chrono::milliseconds(100));
  ASSERT_EQ(Fetch(h_.sim_port, "DELETE", "/sim/v1/faults")->status, 204);
  // The directory did apply it: the lookup finds the card, so no second enrolment.
  std::optional<networks::Profile> profile;
  EXPECT_TRUE(Eventually([&] {
    auto p = Run(mc_->GetProfile("mc-t"));
    if (!p || p->FindCard("mk-t") == nullptr) return false;
    profile = std::move(*p);
    return true;
  }));
  ASSERT_TRUE(profile);
}

TEST_F(NetworksE2e, AConfiguredInDoubtWaitLongerThanTheTimeoutWins) {
  Start();
  auto config = Config("http://127.0.0.1:" + std::to_string(h_.sim_port), kSimMcApiKey, h_.mc_key);
  config.timeout = std::chrono::milliseconds(100);
  config.in_doubt = std::chrono::milliseconds(1500);
  networks::MastercardConnector impatient(*client_, std::move(config));
  auto r = Fetch(h_.sim_port, "POST", "/sim/v1/faults",
                 R"({"network":"mastercard","timeoutRate":1,"seed":1})",
                 "Content-Type: application/json\r\n");
  ASSERT_TRUE(r && r->status < 300);
  auto timed_out = Run(impatient.GetProfile("mc-nobody"));
  ASSERT_EQ(Fetch(h_.sim_port, "DELETE", "/sim/v1/faults")->status, 204);
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().reason, FailureReason::kTimeout);
  EXPECT_EQ(timed_out.error().retry_after, std::chrono::milliseconds(1500));
}

// Near the end of the job's lease a write is not sent: it could still be running at the
// directory when another node takes the job over and looks. Reads still go out.
TEST_F(NetworksE2e, AWriteThatCouldOutliveTheLeaseIsNotSent) {
  Start();
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  // Config(): 5 s per call, 20 s for a Mastercard enrolment; the in-doubt wait is as long
  // again.
  const auto late = mc_->ForCall({"corr-late", now + 39'000});
  const auto card = Card("5555555555554444");
  auto refused = Run(late->EnrolConsumer(Consumer("mc-late"), {"mk-late", &card, Address()}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, FailureReason::kLeaseEnding);
  EXPECT_TRUE(refused.error().retryable);
  EXPECT_FALSE(refused.error().maybe_applied);
  auto read = Run(late->GetProfile("mc-late"));  // sent: the directory answers it
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().reason, FailureReason::kNotEnrolled);
  // Visa's lookup is a POST that only reads: sent too. Its writes have 5 s + 5 s to settle.
  const auto late_visa = visa_->ForCall({"corr-late-visa", now + 9'000});
  const auto visa_card = Card("4111111111111111");
  auto visa_refused =
      Run(late_visa->EnrolConsumer(Consumer("vc-late"), {"vk-late", &visa_card, Address()}));
  ASSERT_FALSE(visa_refused);
  EXPECT_EQ(visa_refused.error().reason, FailureReason::kLeaseEnding);
  auto visa_read = Run(late_visa->GetProfile("vc-late"));
  ASSERT_FALSE(visa_read);
  EXPECT_EQ(visa_read.error().reason, FailureReason::kNotEnrolled);
  auto stats = Fetch(h_.sim_port, "GET", "/sim/v1/stats");
  ASSERT_TRUE(stats && stats->status == 200);
  const auto counters = boost::json::parse(stats->body).as_object();
  EXPECT_EQ(counters.at("mastercard").at("enrolCalls").to_number<int>(), 0) << stats->body;
  EXPECT_EQ(counters.at("visa").at("enrolCalls").to_number<int>(), 0) << stats->body;
  // With time to settle, the same write goes out.
  const auto early = mc_->ForCall({"corr-early", now + 60'000});
  auto enrolled = Run(early->EnrolConsumer(Consumer("mc-late"), {"mk-late", &card, Address()}));
  ASSERT_TRUE(enrolled) << enrolled.error().message;
}

TEST_F(NetworksE2e, ConnectionRefusedIsRetryable) {
  const std::string url = "http://127.0.0.1:" + std::to_string(FreePort());
  networks::VisaConnector visa(*client_, Config(url, "k", h_.visa_key));
  auto r = Run(visa.GetProfile("c"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::kConnection);
  EXPECT_TRUE(r.error().retryable);
  // Never sent: nothing to wait for.
  EXPECT_FALSE(r.error().retry_after);
}

}  // namespace
}  // namespace c2p::testing
