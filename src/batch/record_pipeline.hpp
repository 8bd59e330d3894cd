#pragma once
// The records of a file, a chunk at a time: prepared in parallel off the writer thread
// (JWE decryption, card data rules, sealing: the expensive part), then applied in ONE unit
// of work with their results and the file's progress, so a chunk is either wholly
// committed or not at all — what makes a resumed file apply nothing twice.
//
// A refused card leaves nothing behind and never stops the others (spec/batch.md §3):
// a chunk in which the store refuses a record is applied with a savepoint per record and
// per card (RecordSavepoints below).

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

// Whether each record's registration runs under a savepoint of its own.
//
// kEach is what a record refused after its first write needs (the refusal undoes that
// record alone). It costs: SQLite copies every page a savepoint changes into its statement
// journal, once per savepoint, so one savepoint per record wrote about 60 KiB per record
// more and took 30 % of the batch rate (docs/performance.md, P5).
//
// kNone runs the records bare, since in most chunks no record is refused. If one is, the
// chunk fails with `needs_record_savepoints`: the caller fails its unit of work (the store
// rolls the unit back) and applies the chunk again with kEach. A chunk's outcome is the
// same either way.
enum class RecordSavepoints { kNone, kEach };

struct ChunkFailure {
  core::Error error;
  bool needs_record_savepoints = false;  // a record was refused under kNone
};

// The unit of work of one chunk: registers every record, writes its result, and advances
// `file` (processed, ok, ko, last_row_id, updated_ms). Fails when the store does (or on an
// internal error), or as RecordSavepoints says: the unit must then fail too, so that
// nothing of the chunk is written, and `file` is unchanged.
tl::expected<ChunkOutcome, ChunkFailure> ApplyChunk(
    const registry::RegistryContext& ctx, store::WriteTx& tx, store::BatchFileRecord& file,
    const std::vector<PreparedRecord>& records, std::int64_t now_ms, RecordSavepoints savepoints);

}  // namespace c2p::batch
