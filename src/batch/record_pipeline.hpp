#pragma once
// The records of a file, a chunk at a time: prepared in parallel off the writer thread
// (JWE decryption, card data rules, sealing: the expensive part), then applied in ONE unit
// of work with their results and the file's progress, so a chunk is either wholly
// committed or not at all — what makes a resumed file apply nothing twice.
//
// Inside the unit each record, and each card of a record, runs under its own savepoint:
// a refused card leaves nothing behind and never stops the others (spec/batch.md §3).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "batch/record_outcome.hpp"
#include "batch/record_request.hpp"
#include "registry/card_registration.hpp"
#include "registry/consumer_registration.hpp"
#include "store/store.hpp"

namespace c2p::batch {

struct PreparedCardEntry {
  std::string card_id;
  core::Result<domain::CardPutBody> body;
  core::Result<registry::PreparedCard> card;
};

struct PreparedRecord {
  std::int64_t row_id = 0;
  std::string consumer_id;
  core::Result<registry::PreparedConsumer> consumer;
  std::vector<PreparedCardEntry> cards;
};

// Reads and prepares one record; pure apart from the context's keys and clock.
PreparedRecord PrepareRecord(const registry::RegistryContext& ctx, std::string_view issuer,
                             const RawRecord& raw);

// What a committed chunk did.
struct ChunkOutcome {
  std::int64_t ok = 0;
  std::int64_t ko = 0;
  bool started_operations = false;  // the engine and notifier have work
};

// The unit of work of one chunk: registers every record, writes its result, and advances
// `file` (processed, ok, ko, last_row_id, updated_ms). Fails only when the store does (or
// on an internal error): then nothing of the chunk is written and `file` is unchanged.
core::Result<ChunkOutcome> ApplyChunk(const registry::RegistryContext& ctx, store::WriteTx& tx,
                                      store::BatchFileRecord& file,
                                      const std::vector<PreparedRecord>& records,
                                      std::int64_t now_ms);

}  // namespace c2p::batch
