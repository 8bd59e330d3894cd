// The registry's units of work on a real SQLite store, run the way a batch runs them: many
// in one transaction, a refused one skipped. A refusal must leave no partial write, and
// auto-enrolment must queue a consumer's second enrolment behind the first. The routes
// around these units are driven over sockets by tests/e2e (registry_*, auto_enrolment_*).

#include <gtest/gtest.h>

#include "core/block_on.hpp"
#include "registry/card_registration.hpp"
#include "registry/consumer_registration.hpp"
#include "store/store_test_util.hpp"
#include "vault/pan_index.hpp"
#include "vault/test_keys.hpp"

namespace c2p::registry {
namespace {

using store::testing::Await;
using store::testing::StartWrite;

constexpr std::string_view kIssuer = "ISSUER0001";

class RegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite:" + dir_.File("c2p.db"), {}, metrics_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    ctx_ = std::make_unique<RegistryContext>(*store_,
                                             vault::testing::Ring({{"v1", &pan_key_}}, index_key_));
    ctx_->products.push_back(domain::CardProduct{
        "VISA_CLASSIC", std::string(kIssuer), domain::Network::kVisa, {{"400000", "499999"}}});
  }

  // PrepareCard's outcome without its JWE step (the card data as it decrypts).
  PreparedCard Prepared(std::string_view card_id, const std::string& pan) {
    auto data = domain::ParseCardData(core::SecretBytes(R"({"pan":")" + pan + R"(","exp":"1230"})"),
                                      ctx_->now());
    EXPECT_TRUE(data) << data.error().message;
    PreparedCard out{std::move(*data), &ctx_->products[0], {}, {}};
    out.pan_index = vault::PanIndex(ctx_->keys, kIssuer, out.data.pan);
    out.sealed = vault::SealCard(ctx_->keys, kIssuer, card_id, out.data);
    return out;
  }

  static domain::CardPutBody Body(std::string consumer) {
    return domain::CardPutBody{std::move(consumer), "VISA_CLASSIC", "jwe", std::nullopt};
  }

  core::Result<void> Write(store::WriteWork work) {
    auto f = StartWrite(io_.io(), *store_, std::move(work));
    return Await(f);
  }

  store::testing::TempDir dir_;
  core::metrics::Registry metrics_;
  store::testing::IoThreads io_{1};
  std::unique_ptr<store::Store> store_;
  core::SecretBytes pan_key_ = vault::testing::RandomKey();
  core::SecretBytes index_key_ = vault::testing::RandomKey();
  std::unique_ptr<RegistryContext> ctx_;
};

TEST_F(RegistrationTest, ARefusedCardLeavesNothingInASharedTransaction) {
  const std::string pan = "4111111111111111";
  const auto first = Prepared("k1", pan);
  ASSERT_TRUE(Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto r = RegisterCard(*ctx_, tx, kIssuer, "k1", Body("c1"), first, "corr");
    if (!r) return tl::unexpected(r.error());
    return {};
  }));
  // In one transaction: a card of a new consumer with a PAN already registered (refused,
  // after the unit found that its consumer must be created), then a good one.
  const auto duplicate = Prepared("k2", pan);
  const auto good = Prepared("k3", "4000000000000002");
  core::ErrorCode refused = core::ErrorCode::kInternal;
  ASSERT_TRUE(Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto r = RegisterCard(*ctx_, tx, kIssuer, "k2", Body("c2"), duplicate, "corr");
    if (r) return core::Fail(core::ErrorCode::kInternal, "the duplicate PAN was registered");
    refused = r.error().code;
    auto ok = RegisterCard(*ctx_, tx, kIssuer, "k3", Body("c3"), good, "corr");
    if (!ok) return tl::unexpected(ok.error());
    return {};
  }));
  EXPECT_EQ(refused, core::ErrorCode::kPanAlreadyRegistered);
  EXPECT_FALSE(
      core::BlockOn(store_->GetConsumer(kIssuer, "c2")).value());  // not created implicitly
  EXPECT_FALSE(core::BlockOn(store_->GetCard(kIssuer, "k2")).value());
  EXPECT_TRUE(core::BlockOn(store_->GetConsumer(kIssuer, "c3")).value());
  EXPECT_TRUE(core::BlockOn(store_->GetCard(kIssuer, "k3")).value());
}

TEST_F(RegistrationTest, ARefusedConsumerLeavesNothingInASharedTransaction) {
  ctx_->issuers[std::string(kIssuer)] = IssuerRegistryPolicy{};
  auto deleted = PrepareConsumer(*ctx_, kIssuer, "c-del", {});
  ASSERT_TRUE(deleted);
  ASSERT_TRUE(Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto r = RegisterConsumer(*ctx_, tx, *deleted, "corr");
    if (!r) return tl::unexpected(r.error());
    store::ConsumerRecord record = *tx.FindConsumer(kIssuer, "c-del").value();
    record.state = "DELETED";
    return tx.PutConsumer(record);
  }));
  domain::ConsumerPutBody active;
  active.state = domain::ConsumerState::kActive;
  auto again = PrepareConsumer(*ctx_, kIssuer, "c-del", active);
  ASSERT_TRUE(again);
  ASSERT_TRUE(Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto r = RegisterConsumer(*ctx_, tx, *again, "corr");
    if (r) return core::Fail(core::ErrorCode::kInternal, "a deleted consumer took a PUT");
    return {};
  }));
  EXPECT_EQ(core::BlockOn(store_->GetConsumer(kIssuer, "c-del")).value()->state, "DELETED");
}

TEST_F(RegistrationTest, AutoEnrolmentQueuesAConsumersSecondCardInOneTransaction) {
  ctx_->issuers[std::string(kIssuer)] = IssuerRegistryPolicy{.auto_enrolment = true};
  const auto a = Prepared("ka", "4111111111111111");
  const auto b = Prepared("kb", "4000000000000002");
  std::vector<CardRegistration> out;
  ASSERT_TRUE(Write([&](store::WriteTx& tx) -> core::Result<void> {
    for (const auto& [id, card] : {std::pair{"ka", &a}, std::pair{"kb", &b}}) {
      auto r = RegisterCard(*ctx_, tx, kIssuer, id, Body("c-auto"), *card, "corr");
      if (!r) return tl::unexpected(r.error());
      out.push_back(std::move(*r));
    }
    return {};
  }));
  ASSERT_EQ(out.size(), 2U);
  for (const auto& r : out) {
    ASSERT_TRUE(r.enrolment);
    EXPECT_EQ(r.enrolment->status, "PENDING");
    EXPECT_EQ(r.enrolment->requestor_type, "D1");
    EXPECT_EQ(r.enrolment->operation, "CLICK_TO_PAY_ENROLMENT");
    EXPECT_EQ(r.card.click_to_pay_status, "ENROLLING");
    EXPECT_EQ(core::BlockOn(store_->GetCard(kIssuer, r.card.card_id)).value()->click_to_pay_status,
              "ENROLLING");
  }
  EXPECT_EQ(core::BlockOn(store_->CountJobs()).value(), 2);
  // The same registration again starts nothing.
  ASSERT_TRUE(Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto r = RegisterCard(*ctx_, tx, kIssuer, "ka", Body("c-auto"), a, "corr");
    if (!r) return tl::unexpected(r.error());
    if (r->created || r->enrolment) return core::Fail(core::ErrorCode::kInternal, "re-enrolled");
    return {};
  }));
  EXPECT_EQ(core::BlockOn(store_->CountJobs()).value(), 2);
}

TEST_F(RegistrationTest, WithoutAutoEnrolmentNothingStarts) {
  const auto a = Prepared("ka", "4111111111111111");
  ASSERT_TRUE(Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto r = RegisterCard(*ctx_, tx, kIssuer, "ka", Body("c-manual"), a, "corr");
    if (!r) return tl::unexpected(r.error());
    if (r->enrolment) return core::Fail(core::ErrorCode::kInternal, "enrolment started");
    return {};
  }));
  EXPECT_EQ(core::BlockOn(store_->CountJobs()).value(), 0);
  EXPECT_EQ(core::BlockOn(store_->GetCard(kIssuer, "ka")).value()->click_to_pay_status,
            "NOT_ENROLLED");
}

}  // namespace
}  // namespace c2p::registry
