// The registry's rows through the Store interface on both backends (a real SQLite file, a
// real PostgreSQL database): what the API relies on (incarnations of a cardId, one live
// card per PAN, retired PANs, operation order, idempotency records, compare-and-swap
// resealing).

#include <gtest/gtest.h>

#include "core/block_on.hpp"
#include "store/store.hpp"
#include "store/store_test_backends.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store {
namespace {

using core::ErrorCode;
using testing::Await;
using testing::StartWrite;

class RegistryQueriesTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ASSERT_EQ(db_.error(), "");
    auto store = OpenStore(db_.url(), {}, registry_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  core::Result<void> Write(WriteWork work) {
    auto f = StartWrite(io_.io(), *store_, std::move(work));
    return Await(f);
  }

  static ConsumerRecord Consumer(std::string id, std::optional<Blob> pi = std::nullopt) {
    return ConsumerRecord{"ISSUER0001", std::move(id), "ACTIVE", std::move(pi), 1, 1};
  }

  static CardRecord Card(std::string card_id, std::string pan_index, std::string consumer = "c1") {
    CardRecord c;
    c.issuer_id = "ISSUER0001";
    c.card_id = std::move(card_id);
    c.consumer_id = std::move(consumer);
    c.card_product_id = "VISA_CLASSIC";
    c.network = "VISA";
    c.state = "ACTIVE";
    c.pan_index = std::move(pan_index);
    c.pan = {1, 2, 3};
    c.exp = {4, 5};
    c.pan_last4 = "1111";
    return c;
  }

  testing::TestDatabase db_{GetParam()};
  core::metrics::Registry registry_;
  testing::IoThreads io_{1};
  std::unique_ptr<Store> store_;
};

TEST_P(RegistryQueriesTest, ConsumerRoundTripsAndReplaceKeepsCreation) {
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.PutConsumer(Consumer("c1", Blob{9, 9})); }));
  auto replaced = Consumer("c1");
  replaced.state = "INACTIVE";
  replaced.created_ms = 50;
  replaced.updated_ms = 60;
  ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.PutConsumer(replaced); }));
  auto got = core::BlockOn(store_->GetConsumer("ISSUER0001", "c1")).value();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->state, "INACTIVE");
  EXPECT_FALSE(got->personal_information);  // replaced by nothing
  EXPECT_EQ(got->created_ms, 1);
  EXPECT_EQ(got->updated_ms, 60);
  EXPECT_FALSE(core::BlockOn(store_->GetConsumer("ISSUER0002", "c1")).value());  // per issuer
}

// AddConsumer never overwrites: a consumer already there (on PostgreSQL, created by a
// concurrent writer) fails the unit, kUnavailable there (retry), and the row stays.
TEST_P(RegistryQueriesTest, AddConsumerInsertsButNeverOverwrites) {
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.AddConsumer(Consumer("c1", Blob{9, 9})); }));
  auto again = Write([](WriteTx& tx) { return tx.AddConsumer(Consumer("c1")); });
  ASSERT_FALSE(again);
  if (GetParam() == testing::Backend::kPostgres) {
    EXPECT_EQ(again.error().code, ErrorCode::kUnavailable) << again.error().message;
  }
  auto got = core::BlockOn(store_->GetConsumer("ISSUER0001", "c1")).value();
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->personal_information);
  EXPECT_EQ(*got->personal_information, (Blob{9, 9}));
}

TEST_P(RegistryQueriesTest, CardIdIncarnationsAndOneLiveCardPerPan) {
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.PutConsumer(Consumer("c1")); }));
  std::int64_t first = 0;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto ref = tx.InsertCard(Card("card1", "idx-a"));
    if (!ref) return tl::unexpected(ref.error());
    first = *ref;
    return {};
  }));
  // The partial unique index refuses a second live card with the same PAN index.
  auto dup = Write([](WriteTx& tx) -> core::Result<void> {
    auto ref = tx.InsertCard(Card("card2", "idx-a"));
    if (!ref) return tl::unexpected(ref.error());
    return {};
  });
  EXPECT_FALSE(dup);
  // Delete, retire, then a new incarnation of the same cardId.
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto card = tx.FindCard("ISSUER0001", "card1");
    if (!card || !*card) return core::Fail(ErrorCode::kInternal, "missing");
    (*card)->state = "DELETED";
    if (auto u = tx.UpdateCard(**card); !u) return u;
    return tx.RetirePan("ISSUER0001", "idx-a");
  }));
  EXPECT_TRUE(core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->state == "DELETED");
  std::int64_t second = 0;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    EXPECT_TRUE(tx.IsPanRetired("ISSUER0001", "idx-a").value());
    EXPECT_FALSE(tx.IsPanRetired("ISSUER0002", "idx-a").value());
    EXPECT_FALSE(tx.FindLiveCardByPan("ISSUER0001", "idx-a").value());
    auto ref = tx.InsertCard(Card("card1", "idx-b"));
    if (!ref) return tl::unexpected(ref.error());
    second = *ref;
    return {};
  }));
  EXPECT_GT(second, first);
  auto newest = core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value();
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->card_ref, second);
  EXPECT_EQ(newest->state, "ACTIVE");
  EXPECT_EQ(newest->pan, (Blob{1, 2, 3}));
  // The consumer's list shows each cardId once, as its newest incarnation.
  auto cards = core::BlockOn(store_->GetConsumerCards("ISSUER0001", "c1")).value();
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0].card_ref, second);
}

// A cardId deleted under one consumer and registered again under another: the newest
// incarnation is the other consumer's, live or deleted, and the first consumer's list no
// longer shows the cardId.
TEST_P(RegistryQueriesTest, NewestIncarnationAcrossConsumers) {
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.PutConsumer(Consumer("c1")); }));
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.PutConsumer(Consumer("c2")); }));
  const auto delete_card = [&](std::string_view card_id) {
    return Write([&](WriteTx& tx) -> core::Result<void> {
      auto card = tx.FindCard("ISSUER0001", card_id);
      if (!card || !*card) return core::Fail(ErrorCode::kInternal, "missing");
      (*card)->state = "DELETED";
      return tx.UpdateCard(**card);
    });
  };
  ASSERT_TRUE(Write(
      [](WriteTx& tx) { return tx.InsertCard(Card("card1", "idx-a", "c1")).map([](auto) {}); }));
  ASSERT_TRUE(delete_card("card1"));
  EXPECT_EQ(core::BlockOn(store_->GetConsumerCards("ISSUER0001", "c1")).value().size(),
            1u);  // deleted, shown
  ASSERT_TRUE(Write(
      [](WriteTx& tx) { return tx.InsertCard(Card("card1", "idx-b", "c2")).map([](auto) {}); }));
  EXPECT_EQ(core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->consumer_id, "c2");
  EXPECT_TRUE(core::BlockOn(store_->GetConsumerCards("ISSUER0001", "c1")).value().empty());
  ASSERT_EQ(core::BlockOn(store_->GetConsumerCards("ISSUER0001", "c2")).value().size(), 1u);
  ASSERT_TRUE(delete_card("card1"));
  auto newest = core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value();
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->consumer_id, "c2");
  EXPECT_EQ(newest->state, "DELETED");
  EXPECT_TRUE(core::BlockOn(store_->GetConsumerCards("ISSUER0001", "c1")).value().empty());
  auto c2_cards = core::BlockOn(store_->GetConsumerCards("ISSUER0001", "c2")).value();
  ASSERT_EQ(c2_cards.size(), 1u);
  EXPECT_EQ(c2_cards[0].state, "DELETED");
  EXPECT_FALSE(core::BlockOn(store_->GetCard("ISSUER0001", "card2")).value());
}

// Migration 3: a card's digital card id round-trips, finds the card in its network
// whatever its state, and a token event is recorded once per (network, eventId).
TEST_P(RegistryQueriesTest, DigitalCardIdAndTokenEventsAreRecordedOnce) {
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.PutConsumer(Consumer("c1")); }));
  std::int64_t ref = 0;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto inserted = tx.InsertCard(Card("card1", "idx-a"));
    if (!inserted) return tl::unexpected(inserted.error());
    ref = *inserted;
    return {};
  }));
  EXPECT_FALSE(core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->digital_card_id);
  EXPECT_EQ(core::BlockOn(store_->GetLiveCardByPan("ISSUER0001", "idx-a")).value()->card_ref, ref);
  EXPECT_FALSE(core::BlockOn(store_->GetLiveCardByPan("ISSUER0002", "idx-a")).value());

  const TokenEventRecord event{"VISA", "ev_1", "ACTIVATED", ref, "op_1", 5};
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto card = tx.FindCard("ISSUER0001", "card1");
    if (!card || !*card) return core::Fail(ErrorCode::kInternal, "missing");
    (*card)->digital_card_id = "vdc_1";
    (*card)->state = "DELETED";
    if (auto u = tx.UpdateCard(**card); !u) return u;
    EXPECT_TRUE(tx.InsertTokenEvent(event).value());
    EXPECT_FALSE(tx.InsertTokenEvent(event).value());  // the same (network, eventId)
    auto other_network = event;
    other_network.network = "MASTERCARD";
    EXPECT_TRUE(tx.InsertTokenEvent(other_network).value());
    auto found = tx.FindCardByDigitalCard("VISA", "vdc_1").value();
    EXPECT_TRUE(found && found->card_ref == ref && found->state == "DELETED");
    EXPECT_FALSE(tx.FindCardByDigitalCard("MASTERCARD", "vdc_1").value());
    return {};
  }));
  EXPECT_EQ(core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->digital_card_id,
            "vdc_1");
  EXPECT_FALSE(core::BlockOn(store_->GetLiveCardByPan("ISSUER0001", "idx-a")).value());

  // The engine's end of an operation: no id keeps the recorded one, an empty one clears it.
  auto set = [&](std::optional<std::string> dc) {
    return Write([&](WriteTx& tx) { return tx.SetCardClickToPay(ref, "ENROLLED", 7, dc); });
  };
  ASSERT_TRUE(set(std::nullopt));
  EXPECT_EQ(core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->digital_card_id,
            "vdc_1");
  ASSERT_TRUE(set(std::string()));
  EXPECT_FALSE(core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->digital_card_id);
  ASSERT_TRUE(set(std::string("vdc_2")));
  EXPECT_EQ(core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->digital_card_id,
            "vdc_2");
}

TEST_P(RegistryQueriesTest, SuspendedTokenIsKeptWithTheCard) {
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.PutConsumer(Consumer("c1")); }));
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto card = Card("card1", "idx-a");
    card.digital_card_id = "vdc_1";
    auto inserted = tx.InsertCard(card);
    if (!inserted) return tl::unexpected(inserted.error());
    return {};
  }));
  auto card = core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value();
  ASSERT_TRUE(card);
  EXPECT_FALSE(card->suspended_digital_card_id);
  card->suspended_digital_card_id = "vdc_1";
  ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.UpdateCard(*card); }));
  EXPECT_EQ(
      core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->suspended_digital_card_id,
      "vdc_1");
  card->suspended_digital_card_id.reset();
  ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.UpdateCard(*card); }));
  EXPECT_FALSE(
      core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value()->suspended_digital_card_id);
}

TEST_P(RegistryQueriesTest, OperationsListMostRecentFirstWithPaging) {
  for (int i = 0; i < 5; ++i) {
    OperationRecord op;
    op.operation_id = "op" + std::to_string(i);
    op.issuer_id = "ISSUER0001";
    op.operation = "SUSPEND";
    op.status = "SUCCESSFUL";
    op.requestor_type = "ISSUER";
    op.requestor_id = "ISSUER0001";
    op.card_id = "card1";
    op.consumer_id = "c1";
    op.start_ms = 100 + i;
    op.end_ms = 100 + i;
    ASSERT_TRUE(Write([op](WriteTx& tx) { return tx.InsertOperation(op); }));
  }
  auto page = core::BlockOn(
                  store_->ListOperations("ISSUER0001", Store::OperationOwner::kCard, "card1", 1, 2))
                  .value();
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].operation_id, "op3");
  EXPECT_EQ(page[1].operation_id, "op2");
  EXPECT_FALSE(page[0].reason);
  // A card's operations are not the consumer's own.
  EXPECT_TRUE(core::BlockOn(store_->ListOperations("ISSUER0001", Store::OperationOwner::kConsumer,
                                                   "c1", 0, 10))
                  .value()
                  .empty());
  EXPECT_FALSE(core::BlockOn(store_->GetOperation("ISSUER0002", "op1")).value());
  EXPECT_EQ(core::BlockOn(store_->GetOperation("ISSUER0001", "op1")).value()->start_ms, 101);
}

TEST_P(RegistryQueriesTest, IdempotencyRecordIsPerIssuer) {
  IdempotencyRecord r{"ISSUER0001", "key-1", "hash", 201, "[]", "{}", 5};
  bool claimed = false;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto c = tx.ClaimIdempotency(r, 0);
    if (!c) return tl::unexpected(c.error());
    claimed = *c;
    return {};
  }));
  EXPECT_TRUE(claimed);
  auto got = core::BlockOn(store_->GetIdempotency("ISSUER0001", "key-1")).value();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 201);
  EXPECT_EQ(got->request_hash, "hash");
  EXPECT_FALSE(core::BlockOn(store_->GetIdempotency("ISSUER0002", "key-1")).value());
}

TEST_P(RegistryQueriesTest, ALiveIdempotencyKeyIsNotTakenAndAnExpiredOneIs) {
  IdempotencyRecord first{"ISSUER0001", "key-2", "hash-1", 201, "[]", "{\"n\":1}", 1000};
  IdempotencyRecord second{"ISSUER0001", "key-2", "hash-2", 200, "[]", "{\"n\":2}", 1500};
  auto claim = [&](const IdempotencyRecord& r, std::int64_t replaces_before_ms) {
    bool claimed = false;
    EXPECT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
      auto c = tx.ClaimIdempotency(r, replaces_before_ms);
      if (!c) return tl::unexpected(c.error());
      claimed = *c;
      return {};
    }));
    return claimed;
  };
  ASSERT_TRUE(claim(first, 0));
  // Recorded at 1000: still live for a claim that replaces only what is older than 1000.
  EXPECT_FALSE(claim(second, 1000));
  EXPECT_EQ(core::BlockOn(store_->GetIdempotency("ISSUER0001", "key-2")).value()->body,
            "{\"n\":1}");
  EXPECT_TRUE(claim(second, 1001));
  auto got = core::BlockOn(store_->GetIdempotency("ISSUER0001", "key-2")).value();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->request_hash, "hash-2");
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->created_ms, 1500);
}

TEST_P(RegistryQueriesTest, SealedRowsPageOverCardsThenConsumersAndResealIsCompareAndSwap) {
  ASSERT_TRUE(Write([](WriteTx& tx) -> core::Result<void> {
    for (const char* id : {"c1", "c2"}) {
      if (auto p = tx.PutConsumer(Consumer(id, Blob{7})); !p) return p;
    }
    auto card = Card("card1", "idx-a");
    card.name = Blob{8};
    auto ref = tx.InsertCard(card);
    if (!ref) return tl::unexpected(ref.error());
    return {};
  }));
  auto first = core::BlockOn(store_->ListSealedRows(nullptr, 2)).value();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].kind, SealedRow::Kind::kCard);
  EXPECT_EQ(first[0].fields.size(), 3u);  // pan, exp, name
  EXPECT_EQ(first[1].kind, SealedRow::Kind::kConsumer);
  EXPECT_EQ(first[1].row_id, "c1");
  auto second = core::BlockOn(store_->ListSealedRows(&first[1], 2)).value();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].row_id, "c2");
  EXPECT_TRUE(core::BlockOn(store_->ListSealedRows(&second[0], 2)).value().empty());

  const SealedRow card = first[0];
  bool swapped = false;
  bool stale = true;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    swapped = tx.ResealField(card, "pan", Blob{1, 2, 3}, Blob{6, 6}).value();
    stale = tx.ResealField(card, "exp", Blob{0}, Blob{6, 6}).value();  // not what it holds
    return {};
  }));
  EXPECT_TRUE(swapped);
  EXPECT_FALSE(stale);
  auto after = core::BlockOn(store_->GetCard("ISSUER0001", "card1")).value();
  EXPECT_EQ(after->pan, (Blob{6, 6}));
  EXPECT_EQ(after->exp, (Blob{4, 5}));
}

C2P_STORE_BACKENDS(RegistryQueriesTest);

}  // namespace
}  // namespace c2p::store
