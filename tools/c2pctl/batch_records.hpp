#pragma once
// The content of the records `c2pctl batch make` writes (spec/batch.md §2), each a pure
// function of the file's spec and the record's index, so any record can be built by any
// thread in any order and a test can recompute what a record should be.
//
//  - record i (0-based) has rowId i+1, consumer `cons_<batchId>_<rowId>` with fake but
//    valid personalInformation (src/domain/consumer_info field rules), and one or two
//    cards `crd_<batchId>_<rowId>_<n>`;
//  - cards are numbered across the file (their ordinal); even ordinals are VISA, odd ones
//    MASTERCARD (when the sandbox has both). Ordinal 0 and 1 are the documented test cards
//    4111111111111111 and 5555555555554444; the others are generated inside the product's
//    BIN range: BIN (the range's low end) + 8 digits ((salt + ordinal) mod 10^8, the salt
//    taken from batchId and seqNumber so two files rarely share a PAN) + '9' + the Luhn
//    digit. The fixed '9' keeps generated PANs off the simulator's behaviour suffixes
//    (0002, 0010, 0028, 0036: spec/networks.md §4), so they are plain approved cards;
//  - expiry 12 to 47 months after the make month, varying with the ordinal;
//  - with errors, every 10th record carries one record-level error of spec §3, cycling
//    200, 202, 203, 204, 205, 206 (ErrorForRow says which; no 200 without
//    personalInformation).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/time_format.hpp"
#include "domain/card_product.hpp"
#include "jose/jwk.hpp"

namespace c2p::ctl {

enum class CardsPerConsumer {
  kOne,
  kTwo,
  kMixed,  // two for every third record (rowId 1, 4, 7, ...), one otherwise
};

// The record-level errors --with-errors plants, by their spec/batch.md §3 code.
enum class PlantedError {
  kConsumerField = 200,   // email that is not one
  kCardField = 202,       // card state that is neither ACTIVE nor INACTIVE
  kUndecryptable = 203,   // JWE to a key that is not c2p's
  kBadLuhn = 204,         // first card's PAN with a wrong check digit
  kUnknownProduct = 205,  // cardProductId the issuer does not have
  kDuplicatePan = 206,    // first card's PAN is the previous record's first card's
};
inline constexpr std::uint64_t kErrorEvery = 10;

struct RecordSpec {
  std::string batch_id;
  std::string seq_number;
  CardsPerConsumer cards = CardsPerConsumer::kMixed;
  bool with_errors = false;
  bool personal_information = true;
  core::SystemTime now;  // expiries are in the future of this
};

// Read-only after construction: shared by the encrypting threads.
struct RecordContext {
  RecordSpec spec;
  std::span<const domain::CardProduct> products;  // non-empty
  const jose::EcKey* encryption_key = nullptr;    // c2p's
  const jose::EcKey* foreign_key = nullptr;       // any other P-256 key (planted 203)
  std::uint64_t salt = 0;                         // PanSalt(batch_id, seq_number)
};

std::uint64_t PanSalt(const std::string& batch_id, const std::string& seq_number);

std::uint64_t CardCount(CardsPerConsumer cards, std::uint64_t index);
// The ordinal of record `index`'s first card: the cards of all records before it.
std::uint64_t FirstCardOrdinal(CardsPerConsumer cards, std::uint64_t index);

// The product of card `ordinal` (alternating when there are several) and its PAN.
const domain::CardProduct& ProductForCard(const RecordContext& context, std::uint64_t ordinal);
std::string PanForCard(const RecordContext& context, std::uint64_t ordinal);
// MMYY.
std::string ExpiryForCard(core::SystemTime now, std::uint64_t ordinal);

// The planted error of a row (1-based), if any.
std::optional<PlantedError> ErrorForRow(const RecordSpec& spec, std::uint64_t row_id);

std::string ConsumerIdFor(const std::string& batch_id, std::uint64_t row_id);
std::string CardIdFor(const std::string& batch_id, std::uint64_t row_id, std::uint64_t n);

// Record `index` (0-based) in RFC 8785 canonical form, ready to be written and signed as
// is. Encrypts its card data (ECDH-ES + A256GCM), so each call costs a key agreement per
// card. Throws std::runtime_error only when OpenSSL fails.
std::string CanonicalRecord(const RecordContext& context, std::uint64_t index);

}  // namespace c2p::ctl
