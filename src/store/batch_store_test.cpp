// Batch files' rows through the Store interface on both backends (a real SQLite file, a
// real PostgreSQL database): what src/batch relies on (the once-per-key rule, a REJECTED
// key taken again, results in rowId order, and a part of a unit undone alone).

#include <gtest/gtest.h>

#include "core/block_on.hpp"
#include "store/store.hpp"
#include "store/store_test_backends.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store {
namespace {

using testing::Await;
using testing::StartWrite;

class BatchQueriesTest : public ::testing::TestWithParam<testing::Backend> {
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

  bool Claim(const BatchFileRecord& file) {
    bool claimed = false;
    EXPECT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
      auto c = tx.ClaimBatchFile(file);
      if (!c) return tl::unexpected(c.error());
      claimed = *c;
      return {};
    }));
    return claimed;
  }

  static BatchFileRecord File(std::string name) {
    BatchFileRecord f;
    f.issuer_id = "ISSUER0001";
    f.batch_id = "B1";
    f.seq_number = "1";
    f.file_name = std::move(name);
    f.operation = "CONSUMER_CARD_REGISTRATION";
    f.status = "PROCESSING";
    f.total_records = 3;
    f.correlation_id = "corr";
    f.received_ms = 1000;
    f.updated_ms = 1000;
    return f;
  }

  testing::TestDatabase db_{GetParam()};
  core::metrics::Registry registry_;
  testing::IoThreads io_{1};
  std::unique_ptr<Store> store_;
};

TEST_P(BatchQueriesTest, AKeyIsTakenOnceUnlessItsFileWasRejected) {
  BatchFileRecord first = File("B1-1-100.json");
  ASSERT_TRUE(Claim(first));
  EXPECT_FALSE(Claim(File("B1-1-200.json")));  // a re-drop of a file being processed

  first.status = "REJECTED";
  first.error_code = "110";
  ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.UpdateBatchFile(first); }));
  BatchFileRecord corrected = File("B1-1-300.json");
  EXPECT_TRUE(Claim(corrected));
  auto row = core::BlockOn(store_->GetBatchFile("ISSUER0001", "B1", "1"));
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->file_name, "B1-1-300.json");
  EXPECT_EQ((*row)->status, "PROCESSING");
  EXPECT_FALSE((*row)->error_code.has_value());
  EXPECT_FALSE((*row)->last_row_id.has_value());

  corrected.status = "DONE";
  ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.UpdateBatchFile(corrected); }));
  EXPECT_FALSE(Claim(File("B1-1-400.json")));  // processed: never again
}

TEST_P(BatchQueriesTest, ProgressAndResultsReadBackInRowOrder) {
  BatchFileRecord f = File("B1-1-100.json");
  ASSERT_TRUE(Claim(f));
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    for (std::int64_t row : {7, 3, 5}) {
      if (auto r = tx.InsertBatchResult(f, {row, "{\"rowId\":" + std::to_string(row) + "}"}); !r) {
        return r;
      }
    }
    f.processed = 3;
    f.ok = 2;
    f.ko = 1;
    f.last_row_id = 7;
    return tx.UpdateBatchFile(f);
  }));
  auto open = core::BlockOn(store_->OpenBatchFiles());
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1U);
  EXPECT_EQ(open->front().last_row_id, 7);
  EXPECT_EQ(open->front().ok, 2);

  auto page = core::BlockOn(store_->BatchResults(f, 3, 10));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 2U);
  EXPECT_EQ((*page)[0].row_id, 5);
  EXPECT_EQ((*page)[1].result, "{\"rowId\":7}");

  ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.DeleteBatchResults(f); }));
  auto none = core::BlockOn(store_->BatchResults(f, 0, 10));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(BatchQueriesTest, AFailedPartIsUndoneAloneAndTheUnitGoesOn) {
  BatchFileRecord f = File("B1-1-100.json");
  ASSERT_TRUE(Claim(f));
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto kept = tx.Atomically([&] { return tx.InsertBatchResult(f, {1, "kept"}); });
    if (!kept) return kept;
    auto undone = tx.Atomically([&]() -> core::Result<void> {
      if (auto r = tx.InsertBatchResult(f, {2, "undone"}); !r) return r;
      // A nested part that succeeds is undone with the part around it.
      if (auto r = tx.Atomically([&] { return tx.InsertBatchResult(f, {3, "nested"}); }); !r) {
        return r;
      }
      return core::Fail(core::ErrorCode::kPanAlreadyRegistered, "refused after a write");
    });
    EXPECT_FALSE(undone);
    return tx.InsertBatchResult(f, {4, "after"});
  }));
  auto rows = core::BlockOn(store_->BatchResults(f, 0, 10));
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2U);
  EXPECT_EQ((*rows)[0].result, "kept");
  EXPECT_EQ((*rows)[1].result, "after");
}

C2P_STORE_BACKENDS(BatchQueriesTest);

}  // namespace
}  // namespace c2p::store
