#include "batch/record_pipeline.hpp"

#include <functional>

#include <boost/json/serialize.hpp>

namespace c2p::batch {

namespace {

// Runs one record's registration step, under a savepoint of its own or bare.
core::Result<void> Step(store::WriteTx& tx, RecordSavepoints savepoints,
                        const std::function<core::Result<void>()>& step) {
  return savepoints == RecordSavepoints::kEach ? tx.Atomically(step) : step();
}

// A refusal stops the chunk: either it cannot be blamed on the record (a store failure:
// the chunk is retried whole) or the record may have written before it (kNone).
std::optional<ChunkFailure> StopsChunk(const core::Error& error, RecordSavepoints savepoints) {
  if (!RefusesRecord(error)) return ChunkFailure{error, false};
  if (savepoints == RecordSavepoints::kNone) return ChunkFailure{error, true};
  return std::nullopt;
}

CardOutcome RegisterOne(const registry::RegistryContext& ctx, store::WriteTx& tx,
                        std::string_view issuer, const PreparedCardEntry& entry,
                        std::string_view correlation_id, RecordSavepoints savepoints, bool& started,
                        std::optional<ChunkFailure>& failure) {
  CardOutcome out{entry.card_id, std::nullopt, std::nullopt, {}};
  if (!entry.body) {
    out.error = CardCode(entry.body.error());
    return out;
  }
  if (!entry.card) {
    out.error = CardCode(entry.card.error());
    return out;
  }
  std::optional<registry::CardRegistration> registered;
  auto done = Step(tx, savepoints, [&]() -> core::Result<void> {
    // A file's auto-enrolments run in the engine's bulk lane: a campaign never delays
    // an API enrolment (spec/batch.md §4, docs/engine.md "Lanes").
    auto r = registry::RegisterCard(ctx, tx, issuer, entry.card_id, *entry.body, *entry.card,
                                    correlation_id, store::JobLane::kBulk);
    if (!r) return tl::unexpected(r.error());
    registered = std::move(*r);
    return {};
  });
  if (!done) {
    failure = StopsChunk(done.error(), savepoints);
    if (!failure) out.error = CardCode(done.error());
    return out;
  }
  if (registered && registered->enrolment) {
    out.operation_id = registered->enrolment->operation_id;
    out.operation_status = registered->enrolment->status;
    started = true;
  }
  return out;
}

}  // namespace

PreparedRecord PrepareRecord(const registry::RegistryContext& ctx, std::string_view issuer,
                             const RawRecord& raw) {
  RecordRequest request = ReadRecordRequest(raw);
  PreparedRecord out{
      request.row_id,
      request.consumer_id,
      tl::unexpected(core::Error::Make(core::ErrorCode::kFieldInvalidFormat, "consumer not read")),
      {}};
  if (request.consumer) {
    out.consumer = registry::PrepareConsumer(ctx, issuer, request.consumer_id, *request.consumer);
  } else {
    out.consumer = tl::unexpected(request.consumer.error());
  }
  out.cards.reserve(request.cards.size());
  for (auto& card : request.cards) {
    PreparedCardEntry entry{
        card.card_id, std::move(card.body),
        tl::unexpected(core::Error::Make(core::ErrorCode::kFieldInvalidFormat, "card not read"))};
    if (entry.body) entry.card = registry::PrepareCard(ctx, issuer, entry.card_id, *entry.body);
    out.cards.push_back(std::move(entry));
  }
  return out;
}

tl::expected<ChunkOutcome, ChunkFailure> ApplyChunk(
    const registry::RegistryContext& ctx, store::WriteTx& tx, store::BatchFileRecord& file,
    const std::vector<PreparedRecord>& records, std::int64_t now_ms, RecordSavepoints savepoints) {
  ChunkOutcome chunk;
  store::BatchFileRecord next = file;
  std::optional<ChunkFailure> failure;
  for (const PreparedRecord& record : records) {
    RecordOutcome outcome{record.row_id, record.consumer_id, std::nullopt, {}};
    if (!record.consumer) {
      outcome.consumer_error = ConsumerCode(record.consumer.error());
    } else {
      auto registered = Step(tx, savepoints, [&]() -> core::Result<void> {
        auto r = registry::RegisterConsumer(ctx, tx, *record.consumer, file.correlation_id);
        if (!r) return tl::unexpected(r.error());
        if (r->update) chunk.started_operations = true;
        return {};
      });
      if (!registered) {
        if (auto stop = StopsChunk(registered.error(), savepoints)) {
          return tl::unexpected(std::move(*stop));
        }
        outcome.consumer_error = ConsumerCode(registered.error());
      }
    }
    for (const PreparedCardEntry& entry : record.cards) {
      if (outcome.consumer_error) {
        // The consumer was not registered: its cards are not either, each with its own
        // problem if it has one, else the consumer's.
        CardOutcome refused{entry.card_id, *outcome.consumer_error, std::nullopt, {}};
        if (!entry.body)
          refused.error = CardCode(entry.body.error());
        else if (!entry.card)
          refused.error = CardCode(entry.card.error());
        outcome.cards.push_back(std::move(refused));
        continue;
      }
      outcome.cards.push_back(RegisterOne(ctx, tx, file.issuer_id, entry, file.correlation_id,
                                          savepoints, chunk.started_operations, failure));
      if (failure) return tl::unexpected(std::move(*failure));
    }
    const bool ok = outcome.ok();
    (ok ? chunk.ok : chunk.ko) += 1;
    auto stored =
        tx.InsertBatchResult(next, {record.row_id, boost::json::serialize(outcome.ToJson())});
    if (!stored) return tl::unexpected(ChunkFailure{stored.error()});
    next.last_row_id = record.row_id;
  }
  next.processed += static_cast<std::int64_t>(records.size());
  next.ok += chunk.ok;
  next.ko += chunk.ko;
  next.status = "PROCESSING";
  next.updated_ms = now_ms;
  if (auto u = tx.UpdateBatchFile(next); !u) return tl::unexpected(ChunkFailure{u.error()});
  file = std::move(next);
  return chunk;
}

}  // namespace c2p::batch
