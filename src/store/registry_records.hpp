#pragma once
// The rows of the consumers & cards registry (spec/api.md §4) as the store keeps them.
// States and enum values are their wire names ("ACTIVE", "REGISTER"): the store knows no
// domain types (it may include core/ only), the API maps them.
//
// Card data and personal information are here only as sealed blobs (src/vault): the
// store never holds a PAN, an expiry, a name or an email in clear. A card is found by
// PAN only through `pan_index`, a keyed HMAC.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace c2p::store {

using Blob = std::vector<std::uint8_t>;

struct ConsumerRecord {
  std::string issuer_id;
  std::string consumer_id;
  std::string state;                         // ACTIVE | INACTIVE | DELETED
  std::optional<Blob> personal_information;  // sealed JSON, only in "stored" mode
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

// One incarnation of a cardId. A cardId whose card was deleted may be registered again:
// the new card is a new row with a new `card_ref`; the deleted one stays for its history.
struct CardRecord {
  std::int64_t card_ref = 0;  // assigned by the store on insert
  std::string issuer_id;
  std::string card_id;
  std::string consumer_id;
  std::string card_product_id;
  std::string network;  // VISA | MASTERCARD
  std::string state;    // ACTIVE | INACTIVE | SUSPENDED | DELETED
  std::string pan_index;
  Blob pan;                  // sealed
  Blob exp;                  // sealed MMYY
  std::optional<Blob> name;  // sealed cardholder name
  std::string pan_last4;     // shown by the card view; PCI DSS allows it in clear
  std::string click_to_pay_status = "NOT_ENROLLED";
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  // The network token its token service reported ACTIVATED (spec/outbound.md §4), until
  // it reports it DELETED.
  std::optional<std::string> digital_card_id;
  // The token its token service reported SUSPENDED, until RESUMED or DELETED: the card's
  // token is suspended while this equals digital_card_id (migration 5).
  std::optional<std::string> suspended_digital_card_id;
};

// An operation of spec/api.md §5.8. Optional members are absent on the wire when empty.
struct OperationRecord {
  std::string operation_id;
  std::string issuer_id;
  std::string operation;  // REGISTER, SUSPEND, …
  std::string status;     // PENDING | SUCCESSFUL | FAILED
  std::string requestor_type;
  std::string requestor_id;
  std::optional<std::int64_t> card_ref;
  std::optional<std::string> card_id;
  std::optional<std::string> consumer_id;
  std::optional<std::string> network;
  std::optional<std::string> reason;
  std::optional<std::string> reason_code;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  std::optional<std::string> details_json;  // a JSON object, already serialised
  std::int64_t start_ms = 0;
  std::optional<std::int64_t> end_ms;
};

// The first response to an Idempotency-Key (spec/api.md §5.1), replayed for the same
// request within its lifetime.
struct IdempotencyRecord {
  std::string issuer_id;
  std::string key;
  std::string request_hash;  // hex SHA-256 of method, path and body
  int status = 0;
  std::string headers_json;  // [["Location", "…"], …]
  std::string body;
  std::int64_t created_ms = 0;
};

// A token service's event (spec/outbound.md §4) once applied to a card: kept by
// (network, eventId) so a repeated event changes nothing.
struct TokenEventRecord {
  std::string network;  // VISA | MASTERCARD
  std::string event_id;
  std::string event;  // ACTIVATED | SUSPENDED | RESUMED | DELETED
  std::int64_t card_ref = 0;
  std::string operation_id;  // the card operation the event recorded
  std::int64_t received_ms = 0;
};

// A row holding sealed data, for key rotation: which table, its key, and its blobs.
struct SealedRow {
  enum class Kind { kCard, kConsumer } kind = Kind::kCard;
  std::int64_t card_ref = 0;  // kCard
  std::string issuer_id;
  std::string row_id;  // cardId or consumerId (what the associated data binds)
  std::vector<std::pair<std::string, Blob>> fields;  // field name -> sealed blob
};

}  // namespace c2p::store
